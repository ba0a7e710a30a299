#pragma once
#include <cstddef>
#include <string_view>

namespace sb {

// Whether the JSON text nests objects/arrays deeper than max_depth. A linear scan that skips
// strings, run before RapidJSON parses, because its parser and destructor recurse.
bool json_exceeds_depth(std::string_view text, int max_depth) noexcept;

}  // namespace sb
