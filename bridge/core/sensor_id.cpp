#include "core/sensor_id.hpp"

#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

// No control character (C0, DEL, C1) and no '*', in valid UTF-8. C1 controls are U+0080 to
// U+009F: in UTF-8 the two bytes 0xC2 0x80..0x9F.
bool allowed_text(std::string_view s) noexcept {
    bool ascii = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x20 || c == 0x7F || c == '*') return false;
        if (c >= 0x80) {
            ascii = false;
            if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) <= 0x9F) return false;
        }
    }
    return ascii || is_valid_utf8(s);  // most ids are ASCII: no second pass for them
}

}  // namespace

bool is_valid_sensor_id(std::string_view id) noexcept {
    return !id.empty() && id.size() <= max_sensor_id_length && allowed_text(id);
}

bool is_valid_sensor_id_prefix(std::string_view prefix) noexcept {
    return prefix.size() < max_sensor_id_length && allowed_text(prefix);
}

}  // namespace sb
