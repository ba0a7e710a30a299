#include "core/sensor_id.hpp"

namespace sb {

bool is_sensor_id_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == ':' || c == '~' || c == '-';
}

bool is_valid_sensor_id(std::string_view id) noexcept {
    if (id.empty() || id.size() > max_sensor_id_length) return false;
    for (char c : id) {
        if (!is_sensor_id_char(c)) return false;
    }
    return true;
}

}  // namespace sb
