#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

constexpr std::string_view replacement = "\xEF\xBF\xBD";  // U+FFFD
constexpr std::string_view ellipsis = "...";

bool in_range(std::string_view s, std::size_t i, unsigned lo, unsigned hi) noexcept {
    if (i >= s.size()) return false;
    const auto b = static_cast<unsigned char>(s[i]);
    return b >= lo && b <= hi;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not one. Rejects
// overlong forms, surrogates and code points above U+10FFFF.
std::size_t sequence_length(std::string_view s, std::size_t i) noexcept {
    const auto lead = static_cast<unsigned char>(s[i]);
    if (lead < 0x80) return 1;
    unsigned second_lo = 0x80, second_hi = 0xBF;
    std::size_t len = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
        len = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        len = 3;
        if (lead == 0xE0) second_lo = 0xA0;
        if (lead == 0xED) second_hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        len = 4;
        if (lead == 0xF0) second_lo = 0x90;
        if (lead == 0xF4) second_hi = 0x8F;
    } else {
        return 0;
    }
    if (!in_range(s, i + 1, second_lo, second_hi)) return 0;
    for (std::size_t k = 2; k < len; ++k) {
        if (!in_range(s, i + k, 0x80, 0xBF)) return 0;
    }
    return len;
}

// out holds valid UTF-8: drop its continuation bytes, then the lead byte.
void pop_last_char(std::string& out) {
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) out.pop_back();
    if (!out.empty()) out.pop_back();
}

}  // namespace

std::size_t utf8_char_length(std::string_view s, std::size_t i) noexcept { return sequence_length(s, i); }

bool is_valid_utf8(std::string_view s) noexcept {
    for (std::size_t i = 0; i < s.size();) {
        const std::size_t len = sequence_length(s, i);
        if (len == 0) return false;
        i += len;
    }
    return true;
}

std::string utf8_excerpt(std::string_view s, std::size_t max_bytes) {
    std::string out;
    std::size_t i = 0;
    while (i < s.size()) {
        const std::size_t len = sequence_length(s, i);
        const std::string_view piece = len ? s.substr(i, len) : replacement;
        if (out.size() + piece.size() > max_bytes) break;
        out.append(piece);
        i += len ? len : 1;
    }
    if (i == s.size()) return out;
    // Cut: make room for the ellipsis by dropping whole characters from the end.
    while (!out.empty() && out.size() + ellipsis.size() > max_bytes) pop_last_char(out);
    if (out.size() + ellipsis.size() <= max_bytes) out.append(ellipsis);
    return out;
}

}  // namespace sb
