// Status topics: which topics carry an online state, which sensor it is for, which payloads
// say online or offline. Mirrors normalize/status_topic.cpp.
#include "normalize/status_topic.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using rr = reject_reason;

struct status_case {
    std::string name;
    std::string topic;
    std::string topic_id;  // as the pipeline derives it from the filter named in the comment
    std::string payload;
    std::string sensor_id;  // expected sensor; "" when rejected
    bool online = false;
    rr reason = rr::no_value;  // when rejected
};

void PrintTo(const status_case& c, std::ostream* os) { *os << c.name; }

std::vector<status_case> status_cases() {
    return {
        // sensors/#: the status level is part of the topic id and is dropped.
        {"word_online", "sensors/temp-1/status", "temp-1.status", "online", "temp-1", true},
        {"word_offline", "sensors/temp-1/status", "temp-1.status", "offline", "temp-1", false},
        {"availability_true", "sensors/porch/availability", "porch.availability", "true", "porch",
         true},
        {"availability_false_spaces", "sensors/porch/availability", "porch.availability",
         " false\n", "porch", false},
        {"number_1", "sensors/porch/status", "porch.status", "1", "porch", true},
        {"connected", "sensors/porch/status", "porch.status", "connected", "porch", true},
        {"json_quoted_word", "sensors/hall/status", "hall.status", "\"offline\"", "hall", false},
        {"json_state_online", "sensors/hall/status", "hall.status", R"({"state":"online"})", "hall",
         true},
        {"json_status_bool", "sensors/hall/status", "hall.status", R"({"status":false})", "hall",
         false},
        {"nested_topic_id", "sensors/floor1/hall/status", "floor1.hall.status", "online",
         "floor1.hall", true},
        // tele/+/LWT, zigbee2mqtt/+/availability: the filter names the level, the id is the sensor.
        {"tasmota_lwt_named_level", "tele/plug1/LWT", "plug1", "Online", "plug1", true},
        {"tasmota_lwt_offline", "tele/plug1/LWT", "plug1", "Offline", "plug1", false},
        {"tasmota_lwt_under_hash", "tele/plug1/LWT", "plug1.LWT", "Offline", "plug1", false},
        {"z2m_availability_named_level", "zigbee2mqtt/porch/availability", "porch",
         R"({"state":"offline"})", "porch", false},
        {"id_ending_in_level_name_kept", "devices/hotstatus/status", "hotstatus", "online",
         "hotstatus", true},
        // shellies/#: Shelly's availability topic is ".../online".
        {"shelly_online_true", "shellies/shellyht-AB12CD/online", "shellyht-AB12CD.online", "true",
         "shellyht-AB12CD", true},
        {"shelly_online_false", "shellies/shellyht-AB12CD/online", "shellyht-AB12CD.online",
         "false", "shellyht-AB12CD", false},
        {"online_level_any_case", "sensors/porch/ONLINE", "porch.ONLINE", "true", "porch", true},
        // rejected
        {"word_unknown", "sensors/hall/status", "hall.status", "maybe", "", false, rr::no_value},
        {"empty_payload", "sensors/hall/status", "hall.status", "", "", false, rr::no_value},
        {"json_state_unknown", "sensors/hall/status", "hall.status", R"({"state":"heating"})", "",
         false, rr::no_value},
        {"json_state_number", "sensors/hall/status", "hall.status", R"({"state":5})", "", false,
         rr::no_value},
        {"json_truncated", "sensors/hall/status", "hall.status", R"({"state":"onl)", "", false,
         rr::no_value},
        {"json_duplicate_state", "sensors/hall/status", "hall.status", R"({"state":"online","state":"offline"})", "",
         false, rr::invalid_json},
        {"json_duplicate_other", "sensors/hall/availability", "hall.availability", R"({"status":"online","x":1,"x":1})",
         "", false, rr::invalid_json},
        {"device_state_duplicate", "shellies/light/status", "light.status", R"({"ison":true,"ison":false})", "",
         false, rr::invalid_json},
        {"availability_object_without_state", "sensors/hall/availability", "hall.availability",
         R"({"ison":true})", "", false, rr::no_value},
        {"state_payload_over_256_bytes", "sensors/hall/status", "hall.status",
         "online" + std::string(251, ' '), "", false, rr::no_value},
        {"only_the_status_level", "sensors/status", "status", "online", "", false, rr::bad_id},
        {"no_filter_matched", "other/hall/status", "", "online", "", false, rr::bad_id},
        {"bad_sensor_id", "sensors/a*b/status", "a*b.status", "online", "", false, rr::bad_id},
    };
}

class status_topic : public ::testing::TestWithParam<status_case> {};

TEST_P(status_topic, sets_online_state_or_is_rejected) {
    const status_case& c = GetParam();
    EXPECT_TRUE(is_status_topic(c.topic));
    const normalize_result r = normalizer().normalize({c.topic, c.topic_id, c.payload, 1000});
    EXPECT_TRUE(r.readings.empty());
    if (c.sensor_id.empty()) {
        ASSERT_FALSE(r.ok()) << "status for " << (r.status ? r.status->sensor_id : "?");
        EXPECT_EQ(to_string(*r.rejected), to_string(c.reason)) << r.detail;
        EXPECT_FALSE(r.status.has_value());
        return;
    }
    ASSERT_TRUE(r.ok()) << to_string(*r.rejected) << ": " << r.detail;
    ASSERT_TRUE(r.status.has_value());
    EXPECT_EQ(r.status->sensor_id, c.sensor_id);
    EXPECT_EQ(r.status->online, c.online);
}

INSTANTIATE_TEST_SUITE_P(cases, status_topic, ::testing::ValuesIn(status_cases()),
                         case_name<status_case>);

TEST(status_topic_names, last_level_decides) {
    EXPECT_TRUE(is_status_topic("a/status"));
    EXPECT_TRUE(is_status_topic("a/Availability"));
    EXPECT_TRUE(is_status_topic("tele/x/LWT"));
    EXPECT_TRUE(is_status_topic("shellies/x/online"));
    EXPECT_FALSE(is_status_topic("status"));
    EXPECT_FALSE(is_status_topic("a/statuses"));
    EXPECT_FALSE(is_status_topic("a/status/x"));
    EXPECT_FALSE(is_status_topic("a/onlinecount"));
    EXPECT_FALSE(is_status_topic("a/"));
}

TEST(status_topic_names, sensor_id_drops_the_level_only_when_a_wildcard_matched_it) {
    EXPECT_EQ(status_sensor_id("sensors/temp-1/status", "temp-1.status"), "temp-1");
    EXPECT_EQ(status_sensor_id("tele/plug1/LWT", "plug1"), "plug1");
    EXPECT_EQ(status_sensor_id("x/mystatus/status", "mystatus"), "mystatus");
    // Known ambiguity: with filter "x/+/status" a level that itself ends in ".status" looks
    // like a wildcard match of the status level. Topic levels rarely contain '.'.
    EXPECT_EQ(status_sensor_id("x/a.status/status", "a.status"), "a");
    EXPECT_EQ(status_sensor_id("sensors/status", "status"), "");
    EXPECT_EQ(status_sensor_id("sensors/x/status", ""), "");
}

// A JSON object with neither "state" nor "status" on ".../status" is device state (Shelly Gen1
// light/0/status), read as metrics like any multi-metric object.
std::vector<accept_case> readings_on_status_topic() {
    const std::string dimmer = "shellies/shellydimmer-A1B2C3/light/0/status";
    return {
        {"shelly_dimmer_light_status", "shellydimmer-A1B2C3.light.0.status",
         R"({"ison":false,"brightness":80})",
         {{"shellydimmer-A1B2C3.light.0.status.ison", false, ""},
          {"shellydimmer-A1B2C3.light.0.status.brightness", 80.0, ""}},
         dimmer},
        {"shelly_rgbw2_color_status", "shellyrgbw2-D4E5F6.color.0.status",
         R"({"ison":true,"mode":"color","red":255,"green":120,"blue":0,"gain":60,"power":4.2})",
         {{"shellyrgbw2-D4E5F6.color.0.status.ison", true, ""},
          {"shellyrgbw2-D4E5F6.color.0.status.mode", std::string("color"), ""},
          {"shellyrgbw2-D4E5F6.color.0.status.red", 255.0, ""},
          {"shellyrgbw2-D4E5F6.color.0.status.green", 120.0, ""},
          {"shellyrgbw2-D4E5F6.color.0.status.blue", 0.0, ""},
          {"shellyrgbw2-D4E5F6.color.0.status.gain", 60.0, ""},
          {"shellyrgbw2-D4E5F6.color.0.status.power", 4.2, ""}},
         "shellies/shellyrgbw2-D4E5F6/color/0/status"},
    };
}

class status_topic_readings : public ::testing::TestWithParam<accept_case> {};
TEST_P(status_topic_readings, are_metrics) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, status_topic_readings,
                         ::testing::ValuesIn(readings_on_status_topic()), case_name<accept_case>);

TEST(status_topic_readings, bad_objects_are_rejected_by_the_readings_rules) {
    expect_rejected({"too_deep_is_not_read", "x.status", R"({"a":{"b":{"c":1}}})", rr::no_value,
                     "sensors/x/status"},
                    [] {
                        normalize_options o;
                        o.max_depth = 2;
                        return o;
                    }());
    expect_rejected(
        {"bad_metric_name", "x.status", R"({"a*b":1})", rr::bad_id, "sensors/x/status"});
    expect_rejected({"no_metrics", "x.status", R"({"a":null})", rr::no_value, "sensors/x/status"});
}

}  // namespace
}  // namespace sb::test
