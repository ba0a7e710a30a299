#include "wire/dead_letter.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <string>

namespace sb {
namespace {

rapidjson::Document parse(const std::string& json) {
    rapidjson::Document doc;
    doc.Parse(json.c_str());
    EXPECT_FALSE(doc.HasParseError()) << json;
    return doc;
}

TEST(dead_letter, envelope_carries_reason_topic_and_payload) {
    auto doc = parse(dead_letter_json({"non_finite", "1e999", "sensors/x", "{\"value\":1e999}", 1795000000000}));
    EXPECT_STREQ(doc["reason"].GetString(), "non_finite");
    EXPECT_STREQ(doc["topic"].GetString(), "sensors/x");
    EXPECT_STREQ(doc["payload"].GetString(), "{\"value\":1e999}");
    EXPECT_EQ(doc["receivedAt"].GetInt64(), 1795000000000);
    EXPECT_EQ(doc["size"].GetUint64(), 15u);
    EXPECT_FALSE(doc["truncated"].GetBool());
}

TEST(dead_letter, envelope_is_bounded_and_valid_utf8_whatever_came_in) {
    std::string huge(200000, 'a');
    huge[10] = '\xff';
    std::string json = dead_letter_json({"too_large", "", "sensors/x", huge, 0}, 4096);
    EXPECT_LT(json.size(), 4096u + 512u);
    auto doc = parse(json);
    EXPECT_TRUE(doc["truncated"].GetBool());
    EXPECT_EQ(doc["size"].GetUint64(), 200000u);
}

}  // namespace
}  // namespace sb
