#pragma once
#include <cstddef>
#include <string_view>

namespace sb {

inline constexpr std::size_t max_sensor_id_length = 128;

// docs/PROTOCOL.md §2: an id is [A-Za-z0-9._:~-]{1,128}.
bool is_sensor_id_char(char c) noexcept;
bool is_valid_sensor_id(std::string_view id) noexcept;

}  // namespace sb
