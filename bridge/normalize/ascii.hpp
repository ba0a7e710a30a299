#pragma once
// ASCII-only text helpers for keys, topic levels and bare words: no locale, no allocation.
// Internal to normalize/.
#include <cstddef>
#include <string_view>

namespace sb::detail {

constexpr char ascii_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

constexpr bool equals_ignoring_case(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
    }
    return true;
}

constexpr bool starts_with_ignoring_case(std::string_view text,
                                         std::string_view prefix) noexcept {
    return text.size() >= prefix.size() &&
           equals_ignoring_case(text.substr(0, prefix.size()), prefix);
}

// The last '/'-separated level of an MQTT topic (the whole topic when it has no '/').
constexpr std::string_view last_topic_level(std::string_view topic) noexcept {
    const std::size_t slash = topic.rfind('/');
    return slash == std::string_view::npos ? topic : topic.substr(slash + 1);
}

// The first '/'-separated level of an MQTT topic.
constexpr std::string_view first_topic_level(std::string_view topic) noexcept {
    return topic.substr(0, topic.find('/'));
}

}  // namespace sb::detail
