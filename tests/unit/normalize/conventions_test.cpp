// The examples of docs/CONVENTIONS.md, row for row: each device convention's topic and payload
// through the real topic filters (ingest/topic_filter) and the normalizer, rendered as the doc
// shows them. A second test fails when the doc and this table drift apart. The doc's table of
// conventions ("What it accepts") is read back and checked against the same filters and normalizer.
#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ingest/topic_filter.hpp"
#include "config/options.hpp"
#include "normalize_fixtures.hpp"
#include "readme_table.hpp"

namespace sb::test {
namespace {

// The recommended --topic filters of each convention (docs/CONVENTIONS.md).
const std::map<std::string, std::vector<std::string>>& convention_filters() {
    static const std::map<std::string, std::vector<std::string>> filters{
        {"sensors", {"sensors/#"}},
        {"zigbee2mqtt", {"zigbee2mqtt/#"}},
        {"tasmota", {"tele/+/SENSOR", "tele/+/STATE", "tele/+/LWT"}},
        {"shelly", {"shellies/#"}},
        {"shelly_gen2", {"+/events/rpc", "+/status/+", "+/online"}},
        {"esphome", {"+/sensor/+/state", "+/binary_sensor/+/state", "+/text_sensor/+/state", "+/status"}},
    };
    return filters;
}

struct example {
    std::string name;
    std::string convention;
    std::string topic;
    std::string payload;
    std::vector<std::string> results;
};

void PrintTo(const example& e, std::ostream* os) { *os << e.name; }

// 2026-11-18T11:06:40Z, the time most samples carry; the fixtures receive them 999 ms later.
const std::string at_t0 = "  at 2026-11-18T11:06:40.000Z";
const std::string now = "  at receive time";

std::vector<example> examples() {
    return {
        {"canonical", "sensors", "sensors/temp-1",
         R"({"sensorId":"temp-1","value":25.5,"unit":"°C","timestamp":1795000000123})",
         {"reading  temp-1 = 25.5 °C  at 2026-11-18T11:06:40.123Z"}},
        {"canonical_fractional_seconds", "sensors", "sensors/co2-1",
         R"({"value":612,"unit":"ppm","ts":1795000000.5})",
         {"reading  co2-1 = 612 ppm  at 2026-11-18T11:06:40.500Z"}},
        {"bare_number", "sensors", "sensors/kitchen/temperature", "21.5",
         {"reading  kitchen.temperature = 21.5" + now}},
        {"bare_word", "sensors", "sensors/hall/door", "open",
         {"reading  hall.door = \"open\"" + now}},
        {"multi_flat_epoch_seconds", "sensors", "sensors/porch",
         R"({"temperature":21.5,"humidity":40,"ts":1795000000})",
         {"reading  porch.temperature = 21.5" + at_t0, "reading  porch.humidity = 40" + at_t0}},
        {"status_word", "sensors", "sensors/hall/status", "offline", {"status   hall offline"}},
        {"z2m_climate_last_seen_offset", "zigbee2mqtt", "zigbee2mqtt/living_room_climate",
         R"({"battery":97,"humidity":41.2,"linkquality":134,"pressure":1003.2,)"
         R"("temperature":21.6,"voltage":2995,"last_seen":"2026-11-18T12:06:40+01:00"})",
         {"reading  living_room_climate.battery = 97" + at_t0,
          "reading  living_room_climate.humidity = 41.2" + at_t0,
          "reading  living_room_climate.linkquality = 134" + at_t0,
          "reading  living_room_climate.pressure = 1003.2" + at_t0,
          "reading  living_room_climate.temperature = 21.6" + at_t0,
          "reading  living_room_climate.voltage = 2995" + at_t0}},
        {"z2m_contact_last_seen_epoch_ms", "zigbee2mqtt", "zigbee2mqtt/front_door",
         R"({"battery":100,"contact":true,"linkquality":87,"voltage":3025,)"
         R"("last_seen":1795000000456})",
         {"reading  front_door.battery = 100  at 2026-11-18T11:06:40.456Z",
          "reading  front_door.contact = true  at 2026-11-18T11:06:40.456Z",
          "reading  front_door.linkquality = 87  at 2026-11-18T11:06:40.456Z",
          "reading  front_door.voltage = 3025  at 2026-11-18T11:06:40.456Z"}},
        {"z2m_motion_no_last_seen", "zigbee2mqtt", "zigbee2mqtt/hall_motion",
         R"({"battery":100,"illuminance_lux":12,"linkquality":120,"occupancy":false})",
         {"reading  hall_motion.battery = 100" + now,
          "reading  hall_motion.illuminance_lux = 12" + now,
          "reading  hall_motion.linkquality = 120" + now,
          "reading  hall_motion.occupancy = false" + now}},
        {"z2m_plug_last_seen_utc", "zigbee2mqtt", "zigbee2mqtt/desk_plug",
         R"({"current":0.06,"energy":1.42,"power":12.5,"state":"ON","voltage":231,)"
         R"("last_seen":"2026-11-18T11:06:40.250Z"})",
         {"reading  desk_plug.current = 0.06  at 2026-11-18T11:06:40.250Z",
          "reading  desk_plug.energy = 1.42  at 2026-11-18T11:06:40.250Z",
          "reading  desk_plug.power = 12.5  at 2026-11-18T11:06:40.250Z",
          "reading  desk_plug.state = \"ON\"  at 2026-11-18T11:06:40.250Z",
          "reading  desk_plug.voltage = 231  at 2026-11-18T11:06:40.250Z"}},
        {"z2m_button_action", "zigbee2mqtt", "zigbee2mqtt/bedroom_button",
         R"({"action":"single","battery":91,"linkquality":96})",
         {"reading  bedroom_button.action = \"single\"" + now,
          "reading  bedroom_button.battery = 91" + now,
          "reading  bedroom_button.linkquality = 96" + now}},
        {"z2m_bulb_nested", "zigbee2mqtt", "zigbee2mqtt/kitchen_bulb",
         R"({"brightness":254,"color":{"x":0.4599,"y":0.4106},"color_mode":"color_temp",)"
         R"("color_temp":370,"state":"ON","update":{"state":"idle"}})",
         {"reading  kitchen_bulb.brightness = 254" + now,
          "reading  kitchen_bulb.color.x = 0.4599" + now,
          "reading  kitchen_bulb.color.y = 0.4106" + now,
          "reading  kitchen_bulb.color_mode = \"color_temp\"" + now,
          "reading  kitchen_bulb.color_temp = 370" + now,
          "reading  kitchen_bulb.state = \"ON\"" + now,
          "reading  kitchen_bulb.update.state = \"idle\"" + now}},
        {"z2m_availability_json", "zigbee2mqtt", "zigbee2mqtt/front_door/availability",
         R"({"state":"online"})", {"status   front_door online"}},
        {"z2m_friendly_name_with_spaces", "zigbee2mqtt", "zigbee2mqtt/Living Room Sensor",
         R"({"humidity":41.2,"temperature":21.6})",
         {"reading  Living Room Sensor.humidity = 41.2" + now, "reading  Living Room Sensor.temperature = 21.6" + now}},
        {"z2m_friendly_name_with_slash", "zigbee2mqtt", "zigbee2mqtt/Küche/Kühlschrank",
         R"({"temperature":4.2})", {"reading  Küche.Kühlschrank.temperature = 4.2" + now}},
        {"z2m_nested_availability", "zigbee2mqtt", "zigbee2mqtt/Küche/Kühlschrank/availability",
         R"({"state":"offline"})", {"status   Küche.Kühlschrank offline"}},
        {"z2m_bridge_ignored", "zigbee2mqtt", "zigbee2mqtt/bridge/state", R"({"state":"online"})", {"ignored"}},
        {"z2m_command_ignored", "zigbee2mqtt", "zigbee2mqtt/Living Room Lamp/set", R"({"state":"ON"})", {"ignored"}},
        {"z2m_availability_legacy_word", "zigbee2mqtt", "zigbee2mqtt/front_door/availability",
         "offline", {"status   front_door offline"}},
        {"tasmota_ds18b20_local_time", "tasmota", "tele/pool_probe/SENSOR",
         R"({"Time":"2026-11-18T12:06:40","DS18B20":{"Id":"3C01D607A8C1","Temperature":21.3},)"
         R"("TempUnit":"C"})",
         {"reading  pool_probe.DS18B20.Temperature = 21.3 °C" + now}},
        {"tasmota_am2301", "tasmota", "tele/bathroom/SENSOR",
         R"({"Time":"2026-11-18T12:06:40","AM2301":{"Temperature":22.1,"Humidity":45.0,)"
         R"("DewPoint":9.7},"TempUnit":"C"})",
         {"reading  bathroom.AM2301.Temperature = 22.1 °C" + now,
          "reading  bathroom.AM2301.Humidity = 45" + now,
          "reading  bathroom.AM2301.DewPoint = 9.7 °C" + now}},
        {"tasmota_energy", "tasmota", "tele/plug1/SENSOR",
         R"({"Time":"2026-11-18T12:06:40","ENERGY":{"TotalStartTime":"2026-01-01T00:00:00",)"
         R"("Total":12.345,"Yesterday":0.5,"Today":0.2,"Power":45,"ApparentPower":50,)"
         R"("ReactivePower":22,"Factor":0.9,"Voltage":230,"Current":0.2}})",
         {"reading  plug1.ENERGY.TotalStartTime = \"2026-01-01T00:00:00\"" + now,
          "reading  plug1.ENERGY.Total = 12.345" + now,
          "reading  plug1.ENERGY.Yesterday = 0.5" + now,
          "reading  plug1.ENERGY.Today = 0.2" + now, "reading  plug1.ENERGY.Power = 45" + now,
          "reading  plug1.ENERGY.ApparentPower = 50" + now,
          "reading  plug1.ENERGY.ReactivePower = 22" + now,
          "reading  plug1.ENERGY.Factor = 0.9" + now, "reading  plug1.ENERGY.Voltage = 230" + now,
          "reading  plug1.ENERGY.Current = 0.2" + now}},
        {"tasmota_bme280_offset_time", "tasmota", "tele/weather/SENSOR",
         R"({"Time":"2026-11-18T12:06:40+01:00","BME280":{"Temperature":46.4,"Humidity":81.5,)"
         R"("DewPoint":41.6,"Pressure":1002.9},"PressureUnit":"hPa","TempUnit":"F"})",
         {"reading  weather.BME280.Temperature = 46.4 °F" + at_t0,
          "reading  weather.BME280.Humidity = 81.5" + at_t0,
          "reading  weather.BME280.DewPoint = 41.6 °F" + at_t0,
          "reading  weather.BME280.Pressure = 1002.9 hPa" + at_t0}},
        {"tasmota_state", "tasmota", "tele/plug1/STATE",
         R"({"Time":"2026-11-18T12:06:40","Uptime":"0T01:02:03","UptimeSec":3723,"Heap":25,)"
         R"("POWER":"ON","Wifi":{"AP":1,"SSId":"home","RSSI":62,"Signal":-69}})",
         {"reading  plug1.Uptime = \"0T01:02:03\"" + now,
          "reading  plug1.UptimeSec = 3723" + now, "reading  plug1.Heap = 25" + now,
          "reading  plug1.POWER = \"ON\"" + now, "reading  plug1.Wifi.AP = 1" + now,
          "reading  plug1.Wifi.SSId = \"home\"" + now, "reading  plug1.Wifi.RSSI = 62" + now,
          "reading  plug1.Wifi.Signal = -69" + now}},
        {"tasmota_lwt_online", "tasmota", "tele/plug1/LWT", "Online", {"status   plug1 online"}},
        {"tasmota_lwt_offline", "tasmota", "tele/plug1/LWT", "Offline",
         {"status   plug1 offline"}},
        {"shelly_ht_temperature", "shelly", "shellies/shellyht-AB12CD/sensor/temperature", "21.50",
         {"reading  shellyht-AB12CD.sensor.temperature = 21.5" + now}},
        {"shelly_ht_humidity", "shelly", "shellies/shellyht-AB12CD/sensor/humidity", "45.5",
         {"reading  shellyht-AB12CD.sensor.humidity = 45.5" + now}},
        {"shelly_plug_power", "shelly", "shellies/shellyplug-s-C4D1E2/relay/0/power", "12.3",
         {"reading  shellyplug-s-C4D1E2.relay.0.power = 12.3" + now}},
        {"shelly_plug_relay", "shelly", "shellies/shellyplug-s-C4D1E2/relay/0", "on",
         {"reading  shellyplug-s-C4D1E2.relay.0 = \"on\"" + now}},
        {"shelly_door_state", "shelly", "shellies/shellydw2-8E3F21/sensor/state", "open",
         {"reading  shellydw2-8E3F21.sensor.state = \"open\"" + now}},
        {"shelly_dimmer_light_status", "shelly", "shellies/shellydimmer-A1B2C3/light/0/status",
         R"({"ison":true,"source":"http","has_timer":false,"mode":"white","brightness":50})",
         {"reading  shellydimmer-A1B2C3.light.0.status.ison = true" + now,
          "reading  shellydimmer-A1B2C3.light.0.status.source = \"http\"" + now,
          "reading  shellydimmer-A1B2C3.light.0.status.has_timer = false" + now,
          "reading  shellydimmer-A1B2C3.light.0.status.mode = \"white\"" + now,
          "reading  shellydimmer-A1B2C3.light.0.status.brightness = 50" + now}},
        {"shelly_online", "shelly", "shellies/shellyplug-s-C4D1E2/online", "true",
         {"status   shellyplug-s-C4D1E2 online"}},
        {"shelly_offline", "shelly", "shellies/shellyht-AB12CD/online", "false",
         {"status   shellyht-AB12CD offline"}},
        {"shelly_gen2_notify_status", "shelly_gen2", "shellyplus1pm-a8032ab12345/events/rpc",
         R"({"src":"shellyplus1pm-a8032ab12345","dst":"shellyplus1pm-a8032ab12345/events","method":"NotifyStatus",)"
         R"("params":{"ts":1795000000.12,"switch:0":{"id":0,"apower":12.3,"current":0.061,)"
         R"("aenergy":{"total":1523.412,"by_minute":[210.5,205.1,0],"minute_ts":1795000000}}}})",
         {"reading  shellyplus1pm-a8032ab12345.switch:0.apower = 12.3 W  at 2026-11-18T11:06:40.120Z",
          "reading  shellyplus1pm-a8032ab12345.switch:0.current = 0.061 A  at 2026-11-18T11:06:40.120Z",
          "reading  shellyplus1pm-a8032ab12345.switch:0.aenergy.total = 1523.412 Wh  at 2026-11-18T11:06:40.120Z"}},
        {"shelly_gen2_ht_full_status", "shelly_gen2", "shellyhtg3-84fce63a1b2c/events/rpc",
         R"({"src":"shellyhtg3-84fce63a1b2c","method":"NotifyFullStatus","params":{"ts":1795000000.12,)"
         R"("sys":{"uptime":5120},"temperature:0":{"id":0,"tC":21.4,"tF":70.5},"humidity:0":{"id":0,"rh":48.2},)"
         R"("devicepower:0":{"id":0,"battery":{"V":5.9,"percent":92},"external":{"present":false}}}})",
         {"reading  shellyhtg3-84fce63a1b2c.temperature:0.tC = 21.4 °C  at 2026-11-18T11:06:40.120Z",
          "reading  shellyhtg3-84fce63a1b2c.humidity:0.rh = 48.2 %  at 2026-11-18T11:06:40.120Z",
          "reading  shellyhtg3-84fce63a1b2c.devicepower:0.battery.percent = 92 %  at 2026-11-18T11:06:40.120Z",
          "reading  shellyhtg3-84fce63a1b2c.devicepower:0.battery.V = 5.9 V  at 2026-11-18T11:06:40.120Z",
          "reading  shellyhtg3-84fce63a1b2c.devicepower:0.external.present = false  at 2026-11-18T11:06:40.120Z"}},
        {"shelly_gen2_component_status", "shelly_gen2", "shellyplus1pm-a8032ab12345/status/switch:0",
         R"({"id":0,"source":"button","output":true,"apower":48.6,"voltage":230.9,"current":0.224,)"
         R"("aenergy":{"total":1530.2},"temperature":{"tC":43.1,"tF":109.6}})",
         {"reading  shellyplus1pm-a8032ab12345.switch:0.apower = 48.6 W" + now,
          "reading  shellyplus1pm-a8032ab12345.switch:0.voltage = 230.9 V" + now,
          "reading  shellyplus1pm-a8032ab12345.switch:0.current = 0.224 A" + now,
          "reading  shellyplus1pm-a8032ab12345.switch:0.aenergy.total = 1530.2 Wh" + now,
          "reading  shellyplus1pm-a8032ab12345.switch:0.temperature.tC = 43.1 °C" + now,
          "reading  shellyplus1pm-a8032ab12345.switch:0.output = true" + now}},
        {"shelly_gen2_online", "shelly_gen2", "shellyplus1pm-a8032ab12345/online", "false",
         {"status   shellyplus1pm-a8032ab12345 offline"}},
        {"shelly_gen2_event_rejected", "shelly_gen2", "shellyplus1pm-a8032ab12345/events/rpc",
         R"({"src":"shellyplus1pm-a8032ab12345","method":"NotifyEvent","params":{"ts":1795000000.12,)"
         R"("events":[{"component":"input:0","id":0,"event":"single_push","ts":1795000000.12}]}})",
         {"rejected no_value"}},
        {"esphome_sensor", "esphome", "living-room/sensor/temperature/state", "21.4",
         {"reading  living-room.temperature = 21.4" + now}},
        {"esphome_binary_sensor", "esphome", "living-room/binary_sensor/motion/state", "ON",
         {"reading  living-room.motion = true" + now}},
        {"esphome_text_sensor", "esphome", "living-room/text_sensor/esphome_version/state",
         "2024.12.2 Dec 10 2024, 09:12:31", {"reading  living-room.esphome_version = \"2024.12.2 Dec 10 2024, 09:12:31\"" + now}},
        {"esphome_text_sensor_number_stays_text", "esphome", "living-room/text_sensor/wifi_channel/state", "11",
         {"reading  living-room.wifi_channel = \"11\"" + now}},
        {"esphome_status", "esphome", "living-room/status", "offline", {"status   living-room offline"}},
        {"home_assistant_status_ignored", "esphome", "homeassistant/status", "online", {"ignored"}},
        {"esphome_unknown_state_rejected", "esphome", "living-room/sensor/temperature/state", "nan",
         {"rejected non_finite"}},
        {"shelly_announce_rejected", "shelly", "shellies/announce",
         R"({"id":"shellyplug-s-C4D1E2","model":"SHPLG-S","mac":"A4CF12C4D1E2",)"
         R"("ip":"192.168.1.42","new_fw":false,"fw_ver":"20230913-114008/v1.14.0-gcb84623"})",
         {"rejected no_value"}},
        {"shelly_command_rejected", "shelly", "shellies/shellyplug-s-C4D1E2/relay/0/command",
         "off", {"rejected no_value"}},
        {"shelly_act_reasons_rejected", "shelly", "shellies/shellyht-AB12CD/sensor/act_reasons",
         R"(["sensor"])", {"rejected no_value"}},
        {"senml_rfc_style", "sensors", "sensors/ow-bridge",
         R"([{"bn":"urn:dev:ow:10e2073a01080063:","bt":1795000000,"bu":"Cel","n":"temp",)"
         R"("t":-60,"v":23.0},{"n":"temp","v":23.1},{"n":"hum","u":"%RH","v":41},)"
         R"({"n":"door","vb":false},{"n":"fw","vs":"1.4.2"}])",
         {"reading  urn:dev:ow:10e2073a01080063:temp = 23 Cel  at 2026-11-18T11:05:40.000Z",
          "reading  urn:dev:ow:10e2073a01080063:temp = 23.1 Cel" + at_t0,
          "reading  urn:dev:ow:10e2073a01080063:hum = 41 %RH" + at_t0,
          "reading  urn:dev:ow:10e2073a01080063:door = false" + at_t0,
          "reading  urn:dev:ow:10e2073a01080063:fw = \"1.4.2\"" + at_t0}},
        {"senml_relative_without_bt", "sensors", "sensors/meter",
         R"([{"bn":"meter-7.","bu":"W","n":"power","t":-10,"v":240.1},{"n":"power","v":245.5},)"
         R"({"n":"energy","u":"kWh","s":1234.5}])",
         {"reading  meter-7.power = 240.1 W  at 2026-11-18T11:06:30.999Z",
          "reading  meter-7.power = 245.5 W" + now, "reading  meter-7.energy = 1234.5 kWh" + now}},
        {"senml_slash_names", "sensors", "sensors/lwm2m-node",
         R"([{"bn":"/3303/0/","n":"5700","u":"Cel","v":22.4},{"bn":"/3304/0/","n":"5700","v":45}])",
         {"reading  3303.0.5700 = 22.4 Cel" + now, "reading  3304.0.5700 = 45" + now}},
        {"senml_no_name_uses_topic", "sensors", "sensors/garage/temperature",
         R"([{"u":"Cel","v":7.5}])", {"reading  garage.temperature = 7.5 Cel" + now}},
    };
}

normalize_result run_example(const example& e) {
    std::vector<topic_filter> filters;
    for (const std::string& f : convention_filters().at(e.convention)) {
        filters.push_back(*topic_filter::parse(f));
    }
    const std::string topic_id = topic_sensor_id(filters, e.topic);
    return normalizer().normalize(normalize_input{e.topic, topic_id, e.payload, received_at});
}

class convention : public ::testing::TestWithParam<example> {};

TEST_P(convention, gives_the_documented_result) {
    const example& e = GetParam();
    const normalize_result r = run_example(e);
    EXPECT_EQ(render(r), e.results) << e.topic << " " << r.detail;
    for (const reading& reading : r.readings) EXPECT_EQ(reading.topic, e.topic);
}

INSTANTIATE_TEST_SUITE_P(docs, convention, ::testing::ValuesIn(examples()), case_name<example>);

std::string read_doc() { return read_text(SB_CONVENTIONS_DOC); }

std::string doc_block(const example& e) {
    std::string block = "topic    " + e.topic + "\npayload  " + e.payload + "\n";
    for (const std::string& line : e.results) block += line + "\n";
    return block;
}

TEST(conventions_doc, shows_every_example_and_nothing_else) {
    const std::string doc = read_doc();
    ASSERT_FALSE(doc.empty()) << "cannot read " << SB_CONVENTIONS_DOC;
    std::size_t shown = 0;
    for (std::size_t at = doc.find("\ntopic    "); at != std::string::npos;
         at = doc.find("\ntopic    ", at + 1)) {
        ++shown;
    }
    EXPECT_EQ(shown, examples().size()) << "examples in the doc vs rows in this table";
    for (const example& e : examples()) {
        EXPECT_NE(doc.find(doc_block(e)), std::string::npos) << "doc lacks:\n" << doc_block(e);
    }
}

TEST(conventions_doc, shows_each_conventions_filters) {
    const std::string doc = read_doc();
    for (const auto& [name, filters] : convention_filters()) {
        std::string flags;
        for (const std::string& f : filters) {
            flags += (flags.empty() ? "--topic '" : " --topic '") + f + "'";
        }
        EXPECT_NE(doc.find(flags), std::string::npos) << name << ": " << flags;
    }
}

// Issue 4: "document each convention with an example in the README and the exact id it
// produces" (the table moved from the README to docs/CONVENTIONS.md with the restructuring).
// Every row of the table, through the filter it names, gives its result.
TEST(readme_conventions, every_row_gives_exactly_the_result_it_shows) {
    const std::vector<readme_row> rows = readme_rows(read_text(SB_CONVENTIONS_DOC), "## What it accepts");
    ASSERT_GE(rows.size(), 20u) << "the table of conventions in docs/CONVENTIONS.md is missing or cut short";
    std::set<std::string> filters;
    for (const readme_row& row : rows) {
        SCOPED_TRACE(row.convention);
        const auto filter = topic_filter::parse(row.filter);
        ASSERT_TRUE(filter) << "not a filter: " << row.filter;
        EXPECT_TRUE(filter->matches(row.topic)) << row.filter << " does not match " << row.topic;
        filters.insert(row.filter);
        const std::vector<topic_filter> only{*filter};
        const normalize_result r = normalizer().normalize(
            normalize_input{row.topic, topic_sensor_id(only, row.topic), row.payload, received_at});
        EXPECT_EQ(render_for_readme(r), row.result) << row.topic << "  " << row.payload << "  " << r.detail;
    }
    for (const char* needed : {"sensors/#", "zigbee2mqtt/#", "tele/+/SENSOR",
                               "tele/+/LWT", "shellies/#"}) {
        EXPECT_TRUE(filters.count(needed)) << "no example in the table for " << needed;
    }
}

// The README's short table of conventions: each row gives what it shows, through the filter it
// names and through the default filters alike (the README promises no --topic is needed).
TEST(readme_conventions, the_readme_table_gives_what_it_shows_with_the_default_filters) {
    const std::vector<readme_row> rows = readme_rows(read_text(SB_README), "## What goes in, what comes out");
    ASSERT_GE(rows.size(), 6u) << "the README's table of conventions is missing or cut short";
    std::vector<topic_filter> defaults;
    for (const std::string& f : default_topics()) defaults.push_back(*topic_filter::parse(f));
    for (const readme_row& row : rows) {
        SCOPED_TRACE(row.convention);
        EXPECT_NE(std::find(default_topics().begin(), default_topics().end(), row.filter), default_topics().end());
        // Two messages, read by the pipeline rather than the normalizer: app/ingest_discovery_test.
        if (row.convention == "Home Assistant discovery") continue;
        const std::string topic_id = topic_sensor_id(defaults, row.topic);
        const normalize_result r = normalizer().normalize(normalize_input{row.topic, topic_id, row.payload, received_at});
        EXPECT_EQ(render_for_readme(r), row.result) << row.topic << "  " << row.payload << "  " << r.detail;
    }
}

// Zero configuration: the default --topic list reads every documented example exactly as the
// convention's own filters do (same ids: the order of the defaults gives no wrong match).
TEST(default_topics, read_every_example_as_its_convention_does) {
    std::vector<topic_filter> defaults;
    for (const std::string& f : default_topics()) defaults.push_back(*topic_filter::parse(f));
    for (const example& e : examples()) {
        SCOPED_TRACE(e.name);
        const std::string topic_id = topic_sensor_id(defaults, e.topic);
        ASSERT_FALSE(topic_id.empty()) << "no default filter matches " << e.topic;
        const normalize_result r = normalizer().normalize(normalize_input{e.topic, topic_id, e.payload, received_at});
        EXPECT_EQ(render(r), e.results) << e.topic << " " << r.detail;
    }
    for (const auto& [name, filters] : convention_filters()) {
        for (const std::string& f : filters) {
            EXPECT_NE(std::find(default_topics().begin(), default_topics().end(), f), default_topics().end())
                << name << ": " << f << " is not a default";
        }
    }
}

}  // namespace
}  // namespace sb::test
