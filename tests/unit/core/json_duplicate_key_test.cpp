#include "core/json_duplicate_key.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

std::optional<std::string> duplicate(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.data(), json.size());
    EXPECT_FALSE(doc.HasParseError()) << json;
    const auto name = find_duplicate_key(doc);
    return name ? std::optional<std::string>(*name) : std::nullopt;
}

TEST(json_duplicate_key, finds_a_name_twice_at_any_depth) {
    EXPECT_EQ(duplicate(R"({"value":1,"value":2})"), "value");
    EXPECT_EQ(duplicate(R"({"a":{"b":[{"x":1},{"y":1,"y":2}]}})"), "y");
    EXPECT_EQ(duplicate(R"([1,{"k":null,"k":null}])"), "k");
    EXPECT_EQ(duplicate(R"({"":1,"":2})"), "");
    // Escapes are compared decoded: "\u0061" is "a".
    EXPECT_EQ(duplicate(R"({"a":1,"\u0061":2})"), "a");
}

TEST(json_duplicate_key, the_same_name_in_different_objects_is_fine) {
    EXPECT_EQ(duplicate(R"({"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]})"), std::nullopt);
    EXPECT_EQ(duplicate(R"({"a":1,"A":2,"a ":3})"), std::nullopt);
    EXPECT_EQ(duplicate("[]"), std::nullopt);
    EXPECT_EQ(duplicate("21.5"), std::nullopt);
}

TEST(json_duplicate_key, large_objects_report_the_first_repeat_in_text_order) {
    std::string json = "{";
    for (int i = 0; i < 100; ++i) json += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
    EXPECT_EQ(duplicate(json.substr(0, json.size() - 1) + "}"), std::nullopt);
    // k90 repeats before k5 does: the one whose second occurrence comes first.
    EXPECT_EQ(duplicate(json + "\"k90\":0,\"k5\":0}"), "k90");
}

TEST(json_duplicate_key, the_detail_quotes_a_bounded_name) {
    EXPECT_EQ(duplicate_key_detail("value"), "duplicate key \"value\"");
    EXPECT_LE(duplicate_key_detail(std::string(1000, 'x')).size(), 64u + 20u);
}

}  // namespace
}  // namespace sb
