// Shelly Gen2+ (Plus, Pro, Gen3) over MQTT, with payloads shaped as Shelly's API documentation
// shows them: NotifyStatus / NotifyFullStatus on <prefix>/events/rpc and component status on
// <prefix>/status/<component> (docs/CONVENTIONS.md, "Shelly Gen2+").
#include <string>
#include <vector>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;
using rr = reject_reason;

constexpr const char* plus1pm = "shellyplus1pm-a8032ab12345";
constexpr std::int64_t notify_ts = 1795000000120;  // params.ts 1795000000.12

std::vector<accept_case> accept_cases() {
    const std::string rpc_topic = std::string(plus1pm) + "/events/rpc";
    return {
        {"notify_status_switch", plus1pm,
         R"({"src":"shellyplus1pm-a8032ab12345","dst":"shellyplus1pm-a8032ab12345/events","method":"NotifyStatus",)"
         R"("params":{"ts":1795000000.12,"switch:0":{"id":0,"apower":12.3,"current":0.061,)"
         R"("aenergy":{"total":1523.412,"by_minute":[210.5,205.1,0],"minute_ts":1795000000}}}})",
         {{"shellyplus1pm-a8032ab12345.switch:0.apower", 12.3, "W", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.current", 0.061, "A", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.aenergy.total", 1523.412, "Wh", notify_ts}},
         rpc_topic},
        {"notify_full_status_reads_known_components_only", plus1pm,
         R"({"src":"shellyplus1pm-a8032ab12345","method":"NotifyFullStatus","params":{"ts":1795000000.12,)"
         R"("sys":{"mac":"A8032AB12345","uptime":5120,"ram_free":150000},"wifi":{"rssi":-58},)"
         R"("input:0":{"id":0,"state":false},)"
         R"("switch:0":{"id":0,"source":"init","output":true,"apower":0,"voltage":230.4,"current":0,)"
         R"("aenergy":{"total":0},"temperature":{"tC":41.2,"tF":106.2}}}})",
         {{"shellyplus1pm-a8032ab12345.input:0.state", false, "", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.apower", 0.0, "W", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.voltage", 230.4, "V", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.current", 0.0, "A", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.aenergy.total", 0.0, "Wh", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.temperature.tC", 41.2, "°C", notify_ts},
          {"shellyplus1pm-a8032ab12345.switch:0.output", true, "", notify_ts}},
         rpc_topic},
        {"ht_gen3_temperature_humidity_battery", "shellyhtg3-84fce63a1b2c",
         R"({"src":"shellyhtg3-84fce63a1b2c","method":"NotifyFullStatus","params":{"ts":1795000000.12,)"
         R"("temperature:0":{"id":0,"tC":21.4,"tF":70.5},"humidity:0":{"id":0,"rh":48.2},)"
         R"("devicepower:0":{"id":0,"battery":{"V":5.9,"percent":92},"external":{"present":false}}}})",
         {{"shellyhtg3-84fce63a1b2c.temperature:0.tC", 21.4, "°C", notify_ts},
          {"shellyhtg3-84fce63a1b2c.humidity:0.rh", 48.2, "%", notify_ts},
          {"shellyhtg3-84fce63a1b2c.devicepower:0.battery.percent", 92.0, "%", notify_ts},
          {"shellyhtg3-84fce63a1b2c.devicepower:0.battery.V", 5.9, "V", notify_ts},
          {"shellyhtg3-84fce63a1b2c.devicepower:0.external.present", false, "", notify_ts}},
         "shellyhtg3-84fce63a1b2c/events/rpc"},
        {"status_topic_of_a_cover", "shellyplus2pm-c4d8d5566778.cover:0",
         R"({"id":0,"source":"timeout","state":"stopped","apower":0.0,"voltage":231.1,"current":0.0,)"
         R"("aenergy":{"total":12.8},"current_pos":42,"temperature":{"tC":38.9}})",
         {{"shellyplus2pm-c4d8d5566778.cover:0.apower", 0.0, "W"},
          {"shellyplus2pm-c4d8d5566778.cover:0.voltage", 231.1, "V"},
          {"shellyplus2pm-c4d8d5566778.cover:0.current", 0.0, "A"},
          {"shellyplus2pm-c4d8d5566778.cover:0.aenergy.total", 12.8, "Wh"},
          {"shellyplus2pm-c4d8d5566778.cover:0.temperature.tC", 38.9, "°C"},
          {"shellyplus2pm-c4d8d5566778.cover:0.current_pos", 42.0, "%"},
          {"shellyplus2pm-c4d8d5566778.cover:0.state", "stopped"s, ""}},
         "shellyplus2pm-c4d8d5566778/status/cover:0"},
        {"status_topic_filter_naming_the_device", "illuminance:0",
         R"({"id":0,"lux":312,"illumination":"twilight"})",
         {{"illuminance:0.lux", 312.0, "lx"}},
         "shellyplusmotion-1/status/illuminance:0"},
    };
}

class shelly_gen2_accept : public ::testing::TestWithParam<accept_case> {};
TEST_P(shelly_gen2_accept, readings) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, shelly_gen2_accept, ::testing::ValuesIn(accept_cases()), case_name<accept_case>);

std::vector<reject_case> reject_cases() {
    const std::string rpc_topic = std::string(plus1pm) + "/events/rpc";
    return {
        {"notify_event_is_not_a_status", plus1pm,
         R"({"src":"shellyplus1pm-a8032ab12345","method":"NotifyEvent","params":{"ts":1795000000.12,)"
         R"("events":[{"component":"input:0","id":0,"event":"single_push","ts":1795000000.12}]}})",
         rr::no_value, rpc_topic},
        {"notification_without_known_components", plus1pm,
         R"({"method":"NotifyStatus","params":{"ts":1795000000.12,"wifi":{"rssi":-60},"sys":{"uptime":1}}})",
         rr::no_value, rpc_topic},
        {"rpc_without_method", plus1pm, R"({"params":{"switch:0":{"apower":1}}})", rr::no_value, rpc_topic},
        {"a_non_finite_field_rejects_the_message", plus1pm,
         R"({"method":"NotifyStatus","params":{"switch:0":{"apower":1e999}}})", rr::non_finite, rpc_topic},
    };
}

class shelly_gen2_reject : public ::testing::TestWithParam<reject_case> {};
TEST_P(shelly_gen2_reject, with_reason) { expect_rejected(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, shelly_gen2_reject, ::testing::ValuesIn(reject_cases()), case_name<reject_case>);

TEST(shelly_gen2, its_online_topic_is_a_status) {
    const normalize_result r = run("false", plus1pm, {}, std::string(plus1pm) + "/online");
    ASSERT_TRUE(r.status);
    EXPECT_EQ(r.status->sensor_id, plus1pm);
    EXPECT_FALSE(r.status->online);
}

TEST(shelly_gen2, other_status_topics_keep_their_old_meaning) {
    // sensors/<device>/status stays a status topic; a status/<word> level without a component
    // number is an ordinary topic.
    EXPECT_TRUE(run("offline", "porch", {}, "sensors/porch/status").status);
    const normalize_result r = run(R"({"temperature":21})", "dev.status.main", {}, "sensors/dev/status/main");
    ASSERT_TRUE(r.ok());
    ASSERT_EQ(r.readings.size(), 1u);
    EXPECT_EQ(r.readings[0].sensor_id, "dev.status.main.temperature");
}

}  // namespace
}  // namespace sb::test
