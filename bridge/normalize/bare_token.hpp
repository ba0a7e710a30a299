#pragma once
// Payloads that are not JSON at all but a bare word, as many devices publish state
// ("ON", "OFF", "open", "online"). Internal to normalize/.
#include <string_view>

namespace sb::detail {

enum class bare_token_kind {
    not_a_token,  // leave it as invalid_json
    non_finite,   // NaN / Inf / Infinity with optional sign, any case
    text,         // accept as a string value
};

// Policy: a payload that failed to parse as JSON is still accepted as a string value when,
// after trimming JSON whitespace, it
//   - starts with an ASCII letter (so "12abc", "-", "1.2.3" and truncated numbers stay
//     invalid_json: numeric-looking garbage is never silently turned into text),
//   - uses only ASCII letters, digits, spaces and _ - . : ~ %  (no quotes, brackets, commas
//     or backslashes, so truncated or broken JSON is not mistaken for a word),
//   - is at most 128 bytes (the string value bound),
//   - is not a truncated JSON literal ("tru", "fals", "nul").
// Case is kept as published: "ON" is the string "ON", not the boolean true.
bare_token_kind classify_bare_token(std::string_view trimmed) noexcept;

// Strips JSON whitespace (space, tab, CR, LF) from both ends.
std::string_view trim_json_space(std::string_view text) noexcept;

}  // namespace sb::detail
