#include "core/json_duplicate_key.hpp"

#include <algorithm>
#include <vector>

#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

// Up to this many members a pairwise scan beats sorting (and allocates nothing); sensor
// payloads and client messages have a handful.
constexpr rapidjson::SizeType pairwise_limit = 24;
constexpr std::size_t max_detail_name_bytes = 64;

std::string_view name_of(const rapidjson::Value::ConstMemberIterator& m) {
    return {m->name.GetString(), m->name.GetStringLength()};
}

std::optional<std::string_view> duplicate_in_object(const rapidjson::Value& object) {
    const auto begin = object.MemberBegin();
    const rapidjson::SizeType n = object.MemberCount();
    if (n < 2) return std::nullopt;
    if (n <= pairwise_limit) {
        for (rapidjson::SizeType i = 1; i < n; ++i) {
            const std::string_view name = name_of(begin + i);
            for (rapidjson::SizeType j = 0; j < i; ++j) {
                if (name_of(begin + j) == name) return name;
            }
        }
        return std::nullopt;
    }
    std::vector<std::pair<std::string_view, rapidjson::SizeType>> names;
    names.reserve(n);
    for (rapidjson::SizeType i = 0; i < n; ++i) names.emplace_back(name_of(begin + i), i);
    std::sort(names.begin(), names.end());
    // Of the names that repeat, the one whose second occurrence comes first in the text, as the
    // pairwise scan reports.
    std::optional<std::string_view> first;
    rapidjson::SizeType first_at = n;
    for (std::size_t k = 1; k < names.size(); ++k) {
        if (names[k].first == names[k - 1].first && names[k].second < first_at) {
            first = names[k].first;
            first_at = names[k].second;
        }
    }
    return first;
}

}  // namespace

std::optional<std::string_view> find_duplicate_key(const rapidjson::Value& v) {
    if (v.IsObject()) {
        if (auto name = duplicate_in_object(v)) return name;
        for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
            if (auto name = find_duplicate_key(m->value)) return name;
        }
    } else if (v.IsArray()) {
        for (const auto& e : v.GetArray()) {
            if (auto name = find_duplicate_key(e)) return name;
        }
    }
    return std::nullopt;
}

std::string duplicate_key_detail(std::string_view name) {
    return "duplicate key \"" + utf8_excerpt(name, max_detail_name_bytes) + "\"";
}

}  // namespace sb
