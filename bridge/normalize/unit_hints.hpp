#pragma once
// Units a device states once per message instead of per reading. Tasmota's SENSOR messages
// carry "TempUnit":"C" (or "F") and "PressureUnit":"hPa" next to the sensor objects:
//   {"AM2301":{"Temperature":22.1,"Humidity":45.0,"DewPoint":9.7},"TempUnit":"C"}
// -> AM2301.Temperature and AM2301.DewPoint get "°C". Internal to normalize/.
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "normalize/fields.hpp"

namespace sb::detail {

class unit_hints {
public:
    // Reads the declarations among the object's top-level members. A declaration over the
    // string bound rejects the message (bad_string), like any other over-long string.
    static check read(const rapidjson::Value& object, unit_hints& out);

    // The unit of a number reading whose last key is `key`; "" when no hint applies.
    // TempUnit -> keys starting with "Temperature" and "DewPoint"; PressureUnit -> "Pressure"
    // and "SeaPressure" (any case). "C"/"F" become "°C"/"°F"; anything else is kept as sent.
    std::string unit_for(std::string_view key) const;

private:
    std::string temperature_;
    std::string pressure_;
};

// A string member whose name ends in "Unit" (TempUnit, PressureUnit, SpeedUnit): it declares
// the unit of its siblings and is not a reading itself.
bool is_unit_declaration(std::string_view key, const rapidjson::Value& value);

}  // namespace sb::detail
