// One simulated measurement, independent of how it is put on the wire.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>

namespace sim {

enum class sensor_kind { temperature, humidity, co2, power, door };

// A door reports open (true) / closed (false); everything else is a number.
using reading_value = std::variant<double, bool>;

struct sim_reading {
    std::size_t index = 0;      // position in the fleet, 0-based
    std::string sensor_id;      // e.g. "temp-1"
    sensor_kind kind = sensor_kind::temperature;
    reading_value value = 0.0;
    std::string unit;           // empty when the quantity has no unit (door)
    std::int64_t timestamp_ms = 0;  // wall clock, ms since the epoch
};

// Short id stem used for sensor ids ("temp", "humidity", "co2", "power", "door").
const char* kind_stem(sensor_kind kind);

// Unit string for a kind ("°C", "%", "ppm", "W", "" for door).
const char* kind_unit(sensor_kind kind);

// The value as JSON text: shortest round-trip number ("21.4", "400") or "true"/"false".
std::string value_to_text(const reading_value& value);

}  // namespace sim
