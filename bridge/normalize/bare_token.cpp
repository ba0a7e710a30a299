#include "normalize/bare_token.hpp"

#include <array>
#include <cstddef>

#include "normalize/ascii.hpp"
#include "normalize/fields.hpp"

namespace sb::detail {

namespace {

bool is_letter(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool is_token_char(char c) noexcept {
    return is_letter(c) || (c >= '0' && c <= '9') || c == ' ' || c == '_' || c == '-' ||
           c == '.' || c == ':' || c == '~' || c == '%';
}

bool is_non_finite_name(std::string_view text) noexcept {
    if (!text.empty() && (text.front() == '+' || text.front() == '-')) text.remove_prefix(1);
    return equals_ignoring_case(text, "nan") || equals_ignoring_case(text, "inf") ||
           equals_ignoring_case(text, "infinity");
}

bool is_truncated_literal(std::string_view text) noexcept {
    constexpr std::array<std::string_view, 3> literals{"true", "false", "null"};
    for (std::string_view literal : literals) {
        if (text.size() < literal.size() && literal.substr(0, text.size()) == text) return true;
    }
    return false;
}

}  // namespace

std::string_view trim_json_space(std::string_view text) noexcept {
    constexpr std::string_view space = " \t\r\n";
    const std::size_t first = text.find_first_not_of(space);
    if (first == std::string_view::npos) return {};
    return text.substr(first, text.find_last_not_of(space) - first + 1);
}

bare_token_kind classify_bare_token(std::string_view trimmed) noexcept {
    if (is_non_finite_name(trimmed)) return bare_token_kind::non_finite;
    if (trimmed.empty() || trimmed.size() > max_string_bytes || !is_letter(trimmed.front())) {
        return bare_token_kind::not_a_token;
    }
    for (const char c : trimmed) {
        if (!is_token_char(c)) return bare_token_kind::not_a_token;
    }
    if (is_truncated_literal(trimmed)) return bare_token_kind::not_a_token;
    return bare_token_kind::text;
}

}  // namespace sb::detail
