#pragma once
// Bounded, valid UTF-8 copies of untrusted text, for echoing client input in error messages.
#include <cstddef>
#include <string>
#include <string_view>

namespace sb {

// At most max_bytes of s, cut on a character boundary; each byte that is not part of a valid
// UTF-8 sequence (RFC 3629) becomes U+FFFD. An ellipsis ("...") marks a cut, within the bound.
std::string utf8_excerpt(std::string_view s, std::size_t max_bytes);

// Whether s is entirely valid UTF-8 (RFC 3629: no overlong forms, no surrogates, ≤ U+10FFFF).
// Checks decoded strings too: RapidJSON 1.1 turns a lone "\udc00" escape into bytes that are not.
bool is_valid_utf8(std::string_view s) noexcept;

// Length of the valid UTF-8 character that starts at s[i] (1 for ASCII), 0 when the byte there
// does not start one. i < s.size().
std::size_t utf8_char_length(std::string_view s, std::size_t i) noexcept;

}  // namespace sb
