#include "sim_reading.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace sim {

const char* kind_stem(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "temp";
    case sensor_kind::humidity: return "humidity";
    case sensor_kind::co2: return "co2";
    case sensor_kind::power: return "power";
    case sensor_kind::door: return "door";
    }
    return "sensor";
}

const char* kind_unit(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "\xC2\xB0" "C";  // °C in UTF-8
    case sensor_kind::humidity: return "%";
    case sensor_kind::co2: return "ppm";
    case sensor_kind::power: return "W";
    case sensor_kind::door: return "";
    }
    return "";
}

std::string value_to_text(const reading_value& value) {
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    if (const bool* flag = std::get_if<bool>(&value)) {
        writer.Bool(*flag);
    } else {
        const double number = std::get<double>(value);
        // Integral values print without ".0" so "400" ppm stays "400".
        if (std::isfinite(number) && number == std::floor(number) && std::fabs(number) < 1e15) {
            writer.Int64(static_cast<std::int64_t>(number));
        } else if (std::isfinite(number)) {
            writer.Double(number);
        } else {
            writer.Null();  // never produced by the signal model; keeps the Writer valid
        }
    }
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace sim
