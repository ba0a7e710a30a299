// Home Assistant MQTT discovery: which topics are config topics, and what a config says, with
// configs shaped exactly as Zigbee2MQTT, ESPHome and Tasmota publish them. Mirrors
// normalize/ha_discovery.cpp.
#include "normalize/ha_discovery.hpp"

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using mode = ha_entity::mode;

struct topic_case {
    std::string name;
    std::string topic;
    std::string prefix;
    bool is_config = false;
    ha_component component = ha_component::other;
    std::string node_id = {};
    std::string object_id = {};
};

void PrintTo(const topic_case& c, std::ostream* os) { *os << c.name; }

std::vector<topic_case> topic_cases() {
    using hc = ha_component;
    const std::string ha = "homeassistant";
    return {
        {"sensor_with_node", "homeassistant/sensor/node/obj/config", ha, true, hc::sensor, "node", "obj"},
        {"sensor_without_node", "homeassistant/sensor/obj/config", ha, true, hc::sensor, "", "obj"},
        {"binary_sensor", "homeassistant/binary_sensor/0x00158d000a1b2c3d/contact/config", ha, true,
         hc::binary_sensor, "0x00158d000a1b2c3d", "contact"},
        {"switch_is_other", "homeassistant/switch/x/config", ha, true, hc::other, "", "x"},
        {"ids_with_dash_and_underscore", "homeassistant/sensor/weather-1/outside_temp/config", ha, true, hc::sensor,
         "weather-1", "outside_temp"},
        {"custom_prefix", "ha-disc/sensor/obj/config", "ha-disc", true, hc::sensor, "", "obj"},
        {"custom_prefix_with_levels", "site/ha/sensor/n/o/config", "site/ha", true, hc::sensor, "n", "o"},
        {"state_not_config", "homeassistant/sensor/x/state", ha},
        {"ha_status", "homeassistant/status", ha},
        {"wrong_prefix", "zigbee2mqtt/sensor/x/config", ha},
        {"prefix_only_as_start_of_a_level", "homeassistantx/sensor/x/config", ha},
        {"default_prefix_under_custom", "homeassistant/sensor/x/config", "ha-disc"},
        {"empty_object_level", "homeassistant/sensor//config", ha},
        {"empty_node_level", "homeassistant/sensor//obj/config", ha},
        {"empty_component", "homeassistant//obj/config", ha},
        {"more_than_5_levels", "homeassistant/sensor/a/b/c/config", ha},
        {"too_few_levels", "homeassistant/sensor/config", ha},
        {"space_in_object_id", "homeassistant/sensor/Living Room/config", ha},
        {"config_not_last", "homeassistant/sensor/x/config/y", ha},
    };
}

class ha_config_topics : public ::testing::TestWithParam<topic_case> {};

TEST_P(ha_config_topics, parse) {
    const topic_case& c = GetParam();
    const std::optional<ha_config_topic> t = parse_ha_config_topic(c.topic, c.prefix);
    ASSERT_EQ(t.has_value(), c.is_config);
    if (!t) return;
    EXPECT_EQ(t->component, c.component);
    EXPECT_EQ(t->node_id, c.node_id);
    EXPECT_EQ(t->object_id, c.object_id);
}

INSTANTIATE_TEST_SUITE_P(cases, ha_config_topics, ::testing::ValuesIn(topic_cases()), case_name<topic_case>);

TEST(ha_config_topic_prefix, defaults_to_homeassistant) {
    ASSERT_TRUE(parse_ha_config_topic("homeassistant/sensor/x/config").has_value());
    EXPECT_FALSE(parse_ha_config_topic("ha/sensor/x/config").has_value());
}

ha_entity parse_ok(const std::string& payload, ha_config_topic where = {ha_component::sensor, "node", "obj"}) {
    std::string why;
    std::optional<ha_entity> e = parse_ha_config(where, payload, why);
    EXPECT_TRUE(e.has_value()) << why;
    return e ? *e : ha_entity{};
}

std::string render_text(const std::optional<ha_template>& t, const std::string& payload) {
    return t ? ha_text(t->render(payload)) : "<no template>";
}

TEST(ha_config_samples, zigbee2mqtt_temperature) {
    const ha_entity e = parse_ok(
        R"({"availability":[{"topic":"zigbee2mqtt/bridge/state","value_template":"{{ value_json.state }}"},)"
        R"({"topic":"zigbee2mqtt/Living Room/availability","value_template":"{{ value_json.state }}"}],)"
        R"("availability_mode":"all","device":{"identifiers":["zigbee2mqtt_0x00158d0001234567"],)"
        R"j("manufacturer":"Aqara","model":"Temperature and humidity sensor (WSDCGQ11LM)","name":"Living Room"},)j"
        R"("device_class":"temperature","enabled_by_default":true,"has_entity_name":true,"name":"Temperature",)"
        R"("object_id":"living_room_temperature","origin":{"name":"Zigbee2MQTT","sw":"1.40.0"},)"
        R"("state_class":"measurement","state_topic":"zigbee2mqtt/Living Room",)"
        R"("unique_id":"0x00158d0001234567_temperature_zigbee2mqtt","unit_of_measurement":"°C",)"
        R"("value_template":"{{ value_json.temperature }}"})",
        {ha_component::sensor, "0x00158d0001234567", "temperature"});
    EXPECT_EQ(e.name, "Living Room Temperature");
    EXPECT_EQ(e.device_name, "Living Room");
    EXPECT_EQ(e.device_id, "zigbee2mqtt_0x00158d0001234567");
    EXPECT_EQ(e.unique_id, "0x00158d0001234567_temperature_zigbee2mqtt");
    EXPECT_EQ(e.state_topic, "zigbee2mqtt/Living Room");
    EXPECT_EQ(e.unit, "°C");
    EXPECT_EQ(e.device_class, "temperature");
    EXPECT_EQ(e.node_id, "0x00158d0001234567");
    EXPECT_EQ(e.object_id, "temperature");
    EXPECT_TRUE(e.template_supported) << e.unsupported;
    EXPECT_EQ(e.template_text, "{{ value_json.temperature }}");
    EXPECT_EQ(render_text(e.value_template, R"({"temperature":21.37,"humidity":48})"), "21.37");
    EXPECT_EQ(e.availability_mode, mode::all);
    ASSERT_EQ(e.availability.size(), 2u);
    EXPECT_EQ(e.availability[0].topic, "zigbee2mqtt/bridge/state");
    EXPECT_EQ(e.availability[1].topic, "zigbee2mqtt/Living Room/availability");
    EXPECT_EQ(e.availability[1].payload_available, "online");
    EXPECT_EQ(render_text(e.availability[1].value_template, R"({"state":"offline"})"), "offline");
    EXPECT_EQ(e.expire_after_ms, 0);
}

TEST(ha_config_samples, zigbee2mqtt_contact_with_boolean_payloads) {
    const ha_entity e = parse_ok(
        R"({"availability":[{"topic":"zigbee2mqtt/bridge/state","value_template":"{{ value_json.state }}"}],)"
        R"("device":{"identifiers":["zigbee2mqtt_0x00158d000a1b2c3d"],"manufacturer":"Aqara",)"
        R"j("model":"Door and window sensor (MCCGQ11LM)","name":"Front Door"},"device_class":"door",)j"
        R"("name":null,"object_id":"front_door_contact","origin":{"name":"Zigbee2MQTT","sw":"1.40.0"},)"
        R"("payload_off":true,"payload_on":false,"state_topic":"zigbee2mqtt/Front Door",)"
        R"("unique_id":"0x00158d000a1b2c3d_contact_zigbee2mqtt","value_template":"{{ value_json.contact }}"})",
        {ha_component::binary_sensor, "0x00158d000a1b2c3d", "contact"});
    EXPECT_EQ(e.component, ha_component::binary_sensor);
    EXPECT_EQ(e.name, "Front Door");  // name null: the device's name
    EXPECT_EQ(e.payload_on, "False");  // contact false is "open": on
    EXPECT_EQ(e.payload_off, "True");
    EXPECT_EQ(render_text(e.value_template, R"({"contact":false,"battery":100})"), e.payload_on);
    EXPECT_EQ(render_text(e.value_template, R"({"contact":true,"battery":100})"), e.payload_off);
    EXPECT_EQ(e.availability_mode, mode::latest);
}

TEST(ha_config_samples, esphome_abbreviated) {
    const ha_entity e = parse_ok(
        R"({"dev_cla":"temperature","unit_of_meas":"°C","stat_cla":"measurement","name":"Outside Temperature",)"
        R"("stat_t":"weather/sensor/outside_temperature/state","avty_t":"weather/status",)"
        R"("uniq_id":"ESPsensoroutside_temperature","dev":{"ids":"a4cf12abcdef","name":"weather",)"
        R"("sw":"esphome v2024.6.0","mdl":"esp32dev","mf":"espressif"}})",
        {ha_component::sensor, "weather", "outside_temperature"});
    EXPECT_EQ(e.name, "Outside Temperature");  // no has_entity_name: as given
    EXPECT_EQ(e.device_id, "a4cf12abcdef");
    EXPECT_EQ(e.device_name, "weather");
    EXPECT_EQ(e.state_topic, "weather/sensor/outside_temperature/state");
    EXPECT_EQ(e.unique_id, "ESPsensoroutside_temperature");
    EXPECT_EQ(e.unit, "°C");
    EXPECT_EQ(e.device_class, "temperature");
    EXPECT_FALSE(e.value_template.has_value());
    EXPECT_TRUE(e.template_supported);
    EXPECT_EQ(e.template_text, "");
    ASSERT_EQ(e.availability.size(), 1u);
    EXPECT_EQ(e.availability[0].topic, "weather/status");
    EXPECT_EQ(e.availability[0].payload_available, "online");
    EXPECT_EQ(e.availability[0].payload_not_available, "offline");
    EXPECT_FALSE(e.availability[0].value_template.has_value());
}

TEST(ha_config_samples, tasmota_legacy_with_base_topic) {
    const ha_entity e = parse_ok(
        R"({"name":"Tasmota AM2301 Temperature","stat_t":"~SENSOR","avty_t":"~LWT","pl_avail":"Online",)"
        R"("pl_not_avail":"Offline","uniq_id":"ABCDEF_AM2301_Temperature","dev":{"ids":["ABCDEF"]},)"
        R"("unit_of_meas":"°C","dev_cla":"temperature","frc_upd":true,)"
        R"("val_tpl":"{{value_json['AM2301'].Temperature}}","~":"tele/tasmota_ABCDEF/"})",
        {ha_component::sensor, "", "ABCDEF_AM2301_Temperature"});
    EXPECT_EQ(e.name, "Tasmota AM2301 Temperature");
    EXPECT_EQ(e.state_topic, "tele/tasmota_ABCDEF/SENSOR");
    EXPECT_EQ(e.device_id, "ABCDEF");
    ASSERT_EQ(e.availability.size(), 1u);
    EXPECT_EQ(e.availability[0].topic, "tele/tasmota_ABCDEF/LWT");
    EXPECT_EQ(e.availability[0].payload_available, "Online");
    EXPECT_EQ(e.availability[0].payload_not_available, "Offline");
    ASSERT_TRUE(e.template_supported) << e.unsupported;
    EXPECT_EQ(render_text(e.value_template, R"({"Time":"2024-06-01T12:00:00","AM2301":{"Temperature":21.3,)"
                                            R"("Humidity":45.1},"TempUnit":"C"})"),
              "21.3");
}

// Fields one at a time; the rest of each config is the least that parses.
struct field_case {
    std::string name;
    std::string payload;
    std::function<std::string(const ha_entity&)> read;
    std::string expected;
};

void PrintTo(const field_case& c, std::ostream* os) { *os << c.name; }

std::vector<field_case> field_cases() {
    const auto name = [](const ha_entity& e) { return e.name; };
    const auto state = [](const ha_entity& e) { return e.state_topic; };
    const auto expire = [](const ha_entity& e) { return std::to_string(e.expire_after_ms); };
    const auto device_id = [](const ha_entity& e) { return e.device_id; };
    const auto first_availability = [](const ha_entity& e) {
        return e.availability.empty() ? std::string("<none>")
                                      : e.availability[0].topic + " " + e.availability[0].payload_available + "/" +
                                            e.availability[0].payload_not_available;
    };
    return {
        {"expire_after_seconds_to_ms", R"({"stat_t":"s","expire_after":300})", expire, "300000"},
        {"exp_aft_abbreviated", R"({"stat_t":"s","exp_aft":60})", expire, "60000"},
        {"expire_after_fraction_truncated", R"({"stat_t":"s","exp_aft":1.5})", expire, "1000"},
        {"name_null_device_name", R"({"stat_t":"s","name":null,"dev":{"name":"Porch","ids":"p1"}})", name, "Porch"},
        {"name_missing_device_name", R"({"stat_t":"s","dev":{"name":"Porch","ids":"p1"}})", name, "Porch"},
        {"no_name_no_device_topic_object_id", R"({"stat_t":"s"})", name, "obj"},
        {"no_name_config_object_id", R"({"stat_t":"s","obj_id":"porch_temp"})", name, "porch_temp"},
        {"has_entity_name_false_keeps_name", R"({"stat_t":"s","name":"T","has_entity_name":false,"dev":{"name":"D"}})",
         name, "T"},
        {"has_entity_name_without_device_name", R"({"stat_t":"s","name":"T","has_entity_name":true})", name, "T"},
        {"base_at_end", R"({"~":"base/x","stat_t":"state/~"})", state, "state/base/x"},
        {"base_alone", R"({"~":"base/x","stat_t":"~"})", state, "base/x"},
        {"tilde_without_base_kept", R"({"stat_t":"state/~"})", state, "state/~"},
        {"abbreviation_wins_like_ha", R"({"state_topic":"full","stat_t":"abbr"})", state, "abbr"},
        {"connections_when_no_identifiers", R"({"stat_t":"s","dev":{"cns":[["mac","aa:bb:cc:dd:ee:ff"]]}})",
         device_id, "aa:bb:cc:dd:ee:ff"},
        {"identifiers_before_connections", R"({"stat_t":"s","dev":{"cns":[["mac","m"]],"ids":["i1","i2"]}})",
         device_id, "i1"},
        {"availability_abbreviated_list", R"({"stat_t":"s","avty":[{"t":"~/avail","pl_avail":"up"}],"~":"dev1"})",
         first_availability, "dev1/avail up/offline"},
        {"availability_single_object", R"({"stat_t":"s","availability":{"topic":"a/b"}})", first_availability,
         "a/b online/offline"},
        {"availability_numeric_payloads", R"({"stat_t":"s","avty_t":"a","pl_avail":1,"pl_not_avail":0})",
         first_availability, "a 1/0"},
        {"availability_mode_any", R"({"stat_t":"s","avty_mode":"any"})",
         [](const ha_entity& e) { return std::to_string(static_cast<int>(e.availability_mode)); }, "2"},
    };
}

class ha_config_fields : public ::testing::TestWithParam<field_case> {};

TEST_P(ha_config_fields, read) {
    const field_case& c = GetParam();
    EXPECT_EQ(c.read(parse_ok(c.payload)), c.expected);
}

INSTANTIATE_TEST_SUITE_P(cases, ha_config_fields, ::testing::ValuesIn(field_cases()), case_name<field_case>);

struct failure_case {
    std::string name;
    std::string payload;
    std::string why_contains;
};

void PrintTo(const failure_case& c, std::ostream* os) { *os << c.name; }

std::vector<failure_case> failure_cases() {
    return {
        {"not_json", "stat_t: x", "not JSON"},
        {"truncated_json", R"({"stat_t":"x")", "not JSON"},
        {"json_array", R"([{"stat_t":"x"}])", "not a JSON object"},
        {"json_string", R"("x")", "not a JSON object"},
        {"too_deep", R"({"stat_t":"x","a":)" + std::string(40, '[') + std::string(40, ']') + "}", "deeper"},
        {"no_state_topic", R"({"name":"T"})", "no state_topic"},
        {"null_state_topic", R"({"state_topic":null})", "no state_topic"},
        {"empty_state_topic", R"({"state_topic":""})", "state_topic is empty"},
        {"state_topic_plus", R"({"state_topic":"a/+/b"})", "wildcard"},
        {"state_topic_hash", R"({"stat_t":"a/#"})", "wildcard"},
        {"wildcard_from_base", R"({"~":"a/+","stat_t":"~/b"})", "wildcard"},
        {"availability_topic_wildcard", R"({"stat_t":"s","avty_t":"a/#"})", "availability_topic has a wildcard"},
        {"name_number", R"({"stat_t":"s","name":5})", "name is not a string"},
        {"state_topic_number", R"({"stat_t":5})", "state_topic is not a string"},
        {"device_name_number", R"({"stat_t":"s","dev":{"name":1}})", "device.name is not a string"},
        {"device_not_object", R"({"stat_t":"s","dev":"d"})", "device is not an object"},
        {"identifier_number", R"({"stat_t":"s","dev":{"ids":[1]}})", "device.identifiers is not a string"},
        {"connection_not_pair", R"({"stat_t":"s","dev":{"cns":["mac"]}})", "device.connections"},
        {"availability_entry_without_topic", R"({"stat_t":"s","avty":[{"pl_avail":"on"}]})",
         "availability[0].topic is missing"},
        {"availability_entry_not_object", R"({"stat_t":"s","availability":["a/b"]})", "availability[0] is not"},
        {"availability_mode_unknown", R"({"stat_t":"s","availability_mode":"some"})", "availability_mode"},
        {"expire_after_string", R"({"stat_t":"s","exp_aft":"60"})", "expire_after is not a number"},
        {"expire_after_negative", R"({"stat_t":"s","expire_after":-1})", "out of range"},
        {"payload_on_object", R"({"stat_t":"s","pl_on":{}})", "payload_on is not a string"},
        {"has_entity_name_string", R"({"stat_t":"s","has_entity_name":"yes"})", "has_entity_name"},
        {"nul_in_text", R"({"stat_t":"s","name":"a\u0000b"})", "UTF-8"},
        {"lone_surrogate", R"({"stat_t":"s\udc00"})", "UTF-8"},
    };
}

class ha_config_failures : public ::testing::TestWithParam<failure_case> {};

TEST_P(ha_config_failures, say_why) {
    const failure_case& c = GetParam();
    std::string why;
    EXPECT_FALSE(parse_ha_config({ha_component::sensor, "", "obj"}, c.payload, why).has_value());
    EXPECT_NE(why.find(c.why_contains), std::string::npos) << "why: " << why;
}

INSTANTIATE_TEST_SUITE_P(cases, ha_config_failures, ::testing::ValuesIn(failure_cases()), case_name<failure_case>);

TEST(ha_config_templates, unsupported_template_is_kept_not_failed) {
    const ha_entity e = parse_ok(R"({"stat_t":"s","val_tpl":"{{ value_json.x | lower }}"})");
    EXPECT_FALSE(e.template_supported);
    EXPECT_NE(e.unsupported.find("lower"), std::string::npos) << e.unsupported;
    EXPECT_EQ(e.template_text, "{{ value_json.x | lower }}");
    EXPECT_FALSE(e.value_template.has_value());
    EXPECT_EQ(e.state_topic, "s");
}

TEST(ha_config_templates, unsupported_availability_template_marks_the_entity) {
    const ha_entity e = parse_ok(
        R"({"stat_t":"s","val_tpl":"{{ value }}","avty":[{"t":"a","val_tpl":"{{ 'online' if value_json.ok }}"}]})");
    EXPECT_FALSE(e.template_supported);
    EXPECT_NE(e.unsupported.find("availability[0].value_template"), std::string::npos) << e.unsupported;
    ASSERT_TRUE(e.value_template.has_value());
    ASSERT_EQ(e.availability.size(), 1u);
    EXPECT_FALSE(e.availability[0].value_template.has_value());
}

TEST(ha_config_templates, availability_template_for_the_single_topic) {
    const ha_entity e = parse_ok(R"({"stat_t":"s","avty_t":"a","avty_tpl":"{{ value_json.state }}"})");
    ASSERT_EQ(e.availability.size(), 1u);
    EXPECT_EQ(render_text(e.availability[0].value_template, R"({"state":"online"})"), "online");
}

TEST(ha_config_duplicate_keys, a_config_naming_a_member_twice_is_refused) {
    std::string why;
    const ha_config_topic where{ha_component::sensor, "node", "obj"};
    EXPECT_FALSE(parse_ha_config(where, R"({"state_topic":"a/b","state_topic":"c/d"})", why).has_value());
    EXPECT_EQ(why, "duplicate key \"state_topic\"");
    EXPECT_FALSE(parse_ha_config(where, R"({"state_topic":"a/b","device":{"ids":["x"],"ids":["y"]}})", why));
    EXPECT_EQ(why, "duplicate key \"ids\"");
}


}  // namespace
}  // namespace sb::test
