#include "ingest/topic_filter.hpp"

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace sb {
namespace {

// ---- parse ---------------------------------------------------------------------------------

struct parse_case {
    const char* name;
    std::string filter;
    bool valid;
};

void PrintTo(const parse_case& c, std::ostream* os) { *os << c.name; }

class topic_filter_parse : public ::testing::TestWithParam<parse_case> {};

TEST_P(topic_filter_parse, accepts_only_valid_filters) {
    const parse_case& c = GetParam();
    const std::optional<topic_filter> f = topic_filter::parse(c.filter);
    EXPECT_EQ(f.has_value(), c.valid) << "filter: " << c.filter;
    if (f) {
        EXPECT_EQ(f->text(), c.filter);
    }
}

const parse_case parse_cases[] = {
    {"plain", "sensors/kitchen/temperature", true},
    {"multi_level", "sensors/#", true},
    {"hash_alone", "#", true},
    {"plus_alone", "+", true},
    {"plus_middle", "home/+/temperature", true},
    {"plus_then_hash", "+/+/#", true},
    {"empty_levels", "a//b/", true},
    {"leading_slash", "/sensors", true},
    {"empty", "", false},
    {"hash_not_last", "sensors/#/temperature", false},
    {"hash_in_level", "sensors/temp#", false},
    {"plus_in_level", "sensors/temp+", false},
    {"plus_prefix", "sensors/+x", false},
    {"double_hash", "##", false},
    {"nul_byte", std::string("sensors/\0x", 10), false},
    {"too_long", std::string(65536, 'a'), false},
};

INSTANTIATE_TEST_SUITE_P(cases, topic_filter_parse, ::testing::ValuesIn(parse_cases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- matches and sensor_id_for -------------------------------------------------------------

struct match_case {
    const char* name;
    const char* filter;
    std::string topic;
    std::optional<std::string> id;  // nullopt: must not match
};

void PrintTo(const match_case& c, std::ostream* os) { *os << c.name; }

class topic_filter_match : public ::testing::TestWithParam<match_case> {};

TEST_P(topic_filter_match, matches_and_derives_id) {
    const match_case& c = GetParam();
    const std::optional<topic_filter> f = topic_filter::parse(c.filter);
    ASSERT_TRUE(f.has_value()) << c.filter;
    EXPECT_EQ(f->matches(c.topic), c.id.has_value()) << c.filter << " vs " << c.topic;
    EXPECT_EQ(f->sensor_id_for(c.topic), c.id) << c.filter << " vs " << c.topic;
}

const match_case match_cases[] = {
    {"hash_one_level", "sensors/#", "sensors/temp-1", "temp-1"},
    {"hash_two_levels", "sensors/#", "sensors/kitchen/temperature", "kitchen.temperature"},
    {"hash_matches_parent", "sensors/#", "sensors", ""},
    {"hash_trailing_slash", "sensors/#", "sensors/", ""},
    {"hash_other_root", "sensors/#", "other/temp-1", std::nullopt},
    {"hash_prefix_is_not_level", "sensors/#", "sensorsX/a", std::nullopt},
    {"plus_one_level", "zigbee2mqtt/+", "zigbee2mqtt/porch", "porch"},
    {"plus_too_deep", "zigbee2mqtt/+", "zigbee2mqtt/porch/set", std::nullopt},
    {"plus_too_shallow", "zigbee2mqtt/+", "zigbee2mqtt", std::nullopt},
    {"plus_empty_level", "zigbee2mqtt/+", "zigbee2mqtt/", ""},
    {"plus_middle", "home/+/temperature", "home/kitchen/temperature", "kitchen"},
    {"plus_middle_mismatch", "home/+/temperature", "home/kitchen/humidity", std::nullopt},
    {"two_plus", "+/+/value", "home/porch/value", "home.porch"},
    {"plus_and_hash", "home/+/#", "home/porch/a/b", "porch.a.b"},
    {"exact_no_wildcard", "sensors/temp-1", "sensors/temp-1", ""},
    {"exact_mismatch", "sensors/temp-1", "sensors/temp-2", std::nullopt},
    {"case_sensitive", "Sensors/#", "sensors/a", std::nullopt},
    {"root_hash", "#", "a/b", "a.b"},
    {"dollar_not_by_hash", "#", "$SYS/broker/uptime", std::nullopt},
    {"dollar_not_by_plus", "+/broker/uptime", "$SYS/broker/uptime", std::nullopt},
    {"dollar_by_literal", "$SYS/#", "$SYS/broker/uptime", "broker.uptime"},
    {"empty_topic", "#", "", std::nullopt},
    {"wildcard_in_topic", "sensors/#", "sensors/+", std::nullopt},
    {"leading_slash_topic", "+/a", "/a", ""},
};

INSTANTIATE_TEST_SUITE_P(cases, topic_filter_match, ::testing::ValuesIn(match_cases),
                         [](const auto& info) { return std::string(info.param.name); });

// ---- topic_sensor_id -----------------------------------------------------------------------

std::vector<topic_filter> filters(std::initializer_list<const char*> texts) {
    std::vector<topic_filter> out;
    for (const char* t : texts) out.push_back(*topic_filter::parse(t));
    return out;
}

TEST(topic_sensor_id, first_matching_filter_wins) {
    const auto fs = filters({"zigbee2mqtt/+", "zigbee2mqtt/#"});
    EXPECT_EQ(topic_sensor_id(fs, "zigbee2mqtt/porch"), "porch");
    EXPECT_EQ(topic_sensor_id(fs, "zigbee2mqtt/porch/state"), "porch.state");
}

TEST(topic_sensor_id, order_of_filters_matters) {
    const auto fs = filters({"zigbee2mqtt/#", "zigbee2mqtt/+"});
    EXPECT_EQ(topic_sensor_id(fs, "zigbee2mqtt/porch"), "porch");
    const auto exact_first = filters({"sensors/temp-1", "sensors/#"});
    EXPECT_EQ(topic_sensor_id(exact_first, "sensors/temp-1"), "");
}

TEST(topic_sensor_id, no_match_or_no_filters_gives_empty) {
    EXPECT_EQ(topic_sensor_id(filters({"sensors/#"}), "other/x"), "");
    EXPECT_EQ(topic_sensor_id({}, "sensors/x"), "");
}

TEST(topic_name, topic_names_refuse_wildcards) {
    EXPECT_TRUE(is_valid_topic_name("bridge/dead-letter"));
    EXPECT_FALSE(is_valid_topic_name("bridge/#"));
    EXPECT_FALSE(is_valid_topic_name("bridge/+/x"));
    EXPECT_FALSE(is_valid_topic_name(""));
}

}  // namespace
}  // namespace sb
