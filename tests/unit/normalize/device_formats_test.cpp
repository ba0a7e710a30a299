// Device conventions beyond the documented examples (conventions_test.cpp): Tasmota unit
// declarations and local times, Zigbee2MQTT last_seen, Shelly Gen1 control topics.
// Mirrors normalize/unit_hints.cpp, normalize/control_topic.cpp and multi_metric.cpp.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/control_topic.hpp"
#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;
using rr = reject_reason;

std::vector<accept_case> accept_cases() {
    return {
        {"tasmota_two_ds18b20", "pool",
         R"({"Time":"2026-11-18T12:06:40","DS18B20-1":{"Id":"3C01D607A8C1","Temperature":21.3},)"
         R"("DS18B20-2":{"Id":"0316A279B8FF","Temperature":24.8},"TempUnit":"C"})",
         {{"pool.DS18B20-1.Temperature", 21.3, "°C"},  // the 1-Wire address "Id" is metadata
          {"pool.DS18B20-2.Temperature", 24.8, "°C"}}},
        {"tasmota_numbered_temperature", "esp32",
         R"({"Time":"2026-11-18T12:06:40","ANALOG":{"Temperature1":23.4},"TempUnit":"C"})",
         {{"esp32.ANALOG.Temperature1", 23.4, "°C"}}},
        {"tasmota_lowercase_unit_letter", "t",
         R"({"SHT3X":{"Temperature":71.2},"TempUnit":"f"})",
         {{"t.SHT3X.Temperature", 71.2, "°F"}}},
        {"tasmota_unknown_temp_unit_kept", "t", R"({"X":{"Temperature":300},"TempUnit":"K"})",
         {{"t.X.Temperature", 300.0, "K"}}},
        {"tasmota_unit_declared_after_use", "t", R"({"TempUnit":"C","X":{"DewPoint":9.7}})",
         {{"t.X.DewPoint", 9.7, "°C"}}},
        {"tasmota_sea_pressure", "t",
         R"({"BMP280":{"Pressure":1002.9,"SeaPressure":1015.1},"PressureUnit":"hPa"})",
         {{"t.BMP280.Pressure", 1002.9, "hPa"}, {"t.BMP280.SeaPressure", 1015.1, "hPa"}}},
        {"tasmota_speed_unit_consumed_not_applied", "roof",
         R"({"Time":"2026-11-18T12:06:40","TX23":{"Speed":{"Act":14.4,"Avg":12.6},)"
         R"("Dir":{"Card":"NW","Deg":315}},"SpeedUnit":"km/h"})",
         {{"roof.TX23.Speed.Act", 14.4, ""}, {"roof.TX23.Speed.Avg", 12.6, ""},
          {"roof.TX23.Dir.Card", "NW"s, ""}, {"roof.TX23.Dir.Deg", 315.0, ""}}},
        {"no_temp_unit_no_unit", "t", R"({"X":{"Temperature":21}})",
         {{"t.X.Temperature", 21.0, ""}}},
        {"temp_unit_only_for_numbers", "t", R"({"X":{"Temperature":"n/a"},"TempUnit":"C"})",
         {{"t.X.Temperature", "n/a"s, ""}}},
        {"numeric_unit_key_is_a_metric", "t", R"({"PowerUnit":3})", {{"t.PowerUnit", 3.0, ""}}},
        {"tasmota_offset_time_placed", "t",
         R"({"Time":"2026-11-18T12:06:40.123+01:00","X":{"Temperature":1}})",
         {{"t.X.Temperature", 1.0, "", 1795000000123}}},
        {"z2m_device_information_is_not_a_metric", "hub",
         R"({"linkquality":80,"device":{"last_seen":1795000000000,"model":"WSDCGQ11LM"}})",
         {{"hub.linkquality", 80.0, ""}}},
        {"shelly_rpc_ids_are_not_metrics", "plus1",
         R"({"id":0,"src":"shellyplus1-a8032ab12345","dst":"bridge","voltage":229.8})",
         {{"plus1.voltage", 229.8, ""}}},
        {"z2m_empty_action", "button", R"({"action":"","battery":91})",
         {{"button.action", ""s, ""}, {"button.battery", 91.0, ""}}},
        {"announce_outside_shellies_is_a_reading", "x.announce", "1", {{"x.announce", 1.0, ""}},
         "sensors/x/announce"},
        {"shelly_emeter_power", "shellyem-AABBCC.emeter.0.power", "231.07",
         {{"shellyem-AABBCC.emeter.0.power", 231.07, ""}},
         "shellies/shellyem-AABBCC/emeter/0/power"},
        {"shelly_input_event", "shellyix3-AABBCC.input_event.0", R"({"event":"S","event_cnt":3})",
         {{"shellyix3-AABBCC.input_event.0.event", "S"s, ""},
          {"shellyix3-AABBCC.input_event.0.event_cnt", 3.0, ""}},
         "shellies/shellyix3-AABBCC/input_event/0"},
    };
}

class device_formats_accept : public ::testing::TestWithParam<accept_case> {};
TEST_P(device_formats_accept, readings) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, device_formats_accept, ::testing::ValuesIn(accept_cases()),
                         case_name<accept_case>);

std::vector<reject_case> reject_cases() {
    const std::string shelly_info =
        R"({"wifi_sta":{"connected":true,"ssid":"home","ip":"192.168.1.42","rssi":-61},)"
        R"("time":"12:06","unixtime":1795000000,"has_update":false,"mac":"A4CF12C4D1E2",)"
        R"("tmp":{"tC":21.5,"tF":70.7,"is_valid":true},"bat":{"value":98,"voltage":2.96}})";
    return {
        {"only_a_unit_declaration", "t", R"({"Time":"2026-11-18T12:06:40","TempUnit":"C"})",
         rr::no_value},
        {"unit_declaration_over_128_bytes", "t",
         R"({"X":{"Temperature":1},"TempUnit":")" + std::string(129, 'C') + "\"}", rr::bad_string},
        {"tasmota_malformed_local_time", "t", R"({"Time":"2026-11-18T25:06:40","X":1})",
         rr::invalid_json},
        {"z2m_last_seen_garbage", "porch", R"({"temperature":21,"last_seen":"just now"})",
         rr::invalid_json},
        {"shelly_device_announce", "shellyht-AB12CD.announce",
         R"({"id":"shellyht-AB12CD","model":"SHHT-1","mac":"A4CF12AB12CD","ip":"192.168.1.43"})",
         rr::no_value, "shellies/shellyht-AB12CD/announce"},
        {"shelly_info", "shellyht-AB12CD.info", shelly_info, rr::no_value,
         "shellies/shellyht-AB12CD/info"},
        {"shelly_command_announce", "command", "announce", rr::no_value, "shellies/command"},
        {"shelly_device_command", "shellyplug-s-C4D1E2.command", "update", rr::no_value,
         "shellies/shellyplug-s-C4D1E2/command"},
        {"shelly_roller_position_command", "shellyswitch25-AABBCC.roller.0.command.pos", "50",
         rr::no_value, "shellies/shellyswitch25-AABBCC/roller/0/command/pos"},
        {"shelly_light_set", "shellybulbduo-AABBCC.light.0.set", R"({"turn":"on","brightness":80})",
         rr::no_value, "shellies/shellybulbduo-AABBCC/light/0/set"},
    };
}

class device_formats_reject : public ::testing::TestWithParam<reject_case> {};
TEST_P(device_formats_reject, with_reason) { expect_rejected(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, device_formats_reject, ::testing::ValuesIn(reject_cases()),
                         case_name<reject_case>);

TEST(control_topic, only_shelly_metadata_and_commands) {
    EXPECT_TRUE(control_topic_reason("shellies/announce"));
    EXPECT_TRUE(control_topic_reason("shellies/x/info"));
    EXPECT_TRUE(control_topic_reason("shellies/x/relay/0/command"));
    EXPECT_TRUE(control_topic_reason("shellies/x/color/0/set"));
    EXPECT_FALSE(control_topic_reason("shellies/x/relay/0"));
    EXPECT_FALSE(control_topic_reason("shellies/x/sensor/temperature"));
    EXPECT_FALSE(control_topic_reason("shellies/x/commands"));
    EXPECT_FALSE(control_topic_reason("sensors/x/command"));
    EXPECT_FALSE(control_topic_reason("shellies2/announce"));
    EXPECT_FALSE(control_topic_reason("announce"));
}

}  // namespace
}  // namespace sb::test
