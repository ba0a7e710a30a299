#pragma once
// Percent-decoding (RFC 3986 §2.1) of request paths and query strings.
#include <optional>
#include <string>
#include <string_view>

namespace sb {

enum class plus_handling {
    literal,   // paths: '+' is itself
    as_space,  // application/x-www-form-urlencoded query values: '+' is a space
};

// Decodes every %XX once. nullopt when a '%' is not followed by two hex digits, so a malformed
// escape is never passed through as if it were data.
std::optional<std::string> percent_decode(std::string_view in,
                                          plus_handling plus = plus_handling::literal);

}  // namespace sb
