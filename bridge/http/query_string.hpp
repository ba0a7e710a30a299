#pragma once
// Splitting an origin-form request target into path and query, and reading query parameters.
#include <optional>
#include <string>
#include <string_view>

namespace sb {

struct target_parts {
    std::string_view path;   // still percent-encoded
    std::string_view query;  // without the '?', still encoded; empty when absent
};

// Splits at the first '?'; a '#fragment' (never sent by browsers, but possible) is dropped.
target_parts split_target(std::string_view target) noexcept;

enum class query_status { absent, present, malformed };

struct query_value {
    query_status status = query_status::absent;
    std::string value;  // decoded, '+' as space; empty when absent or malformed
};

// The first parameter called name in a query string ("a=1&b=2"). A parameter without '=' has
// an empty value. Malformed when its value has a broken %-escape.
query_value find_query_param(std::string_view query, std::string_view name);

}  // namespace sb
