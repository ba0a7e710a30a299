#pragma once
// One policy for every JSON input (sensor payloads, client messages, JWT header and claims,
// Home Assistant discovery configs): an object that names a member twice, at any depth, is
// malformed. RapidJSON keeps both members and FindMember returns the first, while a browser's
// JSON.parse keeps the last, so the two would read different messages from the same bytes.
#include <optional>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

namespace sb {

// The first member name that occurs twice in one object of v (v itself, then its members and
// elements, depth first), as a view into v; nullopt when there is none. Recursive: callers
// bound the depth first (json_exceeds_depth). Small objects are scanned pairwise (no
// allocation); larger ones sorted.
std::optional<std::string_view> find_duplicate_key(const rapidjson::Value& v);

// "duplicate key \"name\"", the name as a bounded UTF-8 excerpt: the detail of a rejection.
std::string duplicate_key_detail(std::string_view name);

}  // namespace sb
