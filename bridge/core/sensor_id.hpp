#pragma once
#include <cstddef>
#include <string_view>

namespace sb {

inline constexpr std::size_t max_sensor_id_length = 128;  // bytes of UTF-8

// docs/PROTOCOL.md §2: an id is 1 to 128 bytes of UTF-8 without control characters (U+0000 to
// U+001F, U+007F to U+009F) and without '*' (it ends a room pattern): "Living Room Sensor.temp",
// "Küche.Temperatur" and "温度-1" are ids.
bool is_valid_sensor_id(std::string_view id) noexcept;
// What a room pattern may put before its '*': the same, 0 to 127 bytes.
bool is_valid_sensor_id_prefix(std::string_view prefix) noexcept;

}  // namespace sb
