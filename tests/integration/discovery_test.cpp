// Home Assistant MQTT discovery (docs/CONVENTIONS.md "Home Assistant discovery"), for both MQTT
// clients: a config plus its state topic give readings with the config's name, unit, device
// class and device; state topics outside the configured filters are subscribed and dropped with
// their config; availability and expire_after drive the status; an unsupported template is
// counted, never guessed.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

// As Zigbee2MQTT 1.40 publishes them (trimmed of the fields the bridge does not read).
const std::string z2m_temperature_config =
    R"({"availability":[{"topic":"zigbee2mqtt/bridge/state","value_template":"{{ value_json.state }}"},)"
    R"({"topic":"zigbee2mqtt/Living Room/availability","value_template":"{{ value_json.state }}"}],)"
    R"("availability_mode":"all","device":{"identifiers":["zigbee2mqtt_0x00158d0001234567"],)"
    R"("manufacturer":"Aqara","model":"WSDCGQ11LM","name":"Living Room"},"device_class":"temperature",)"
    R"("has_entity_name":true,"name":"Temperature","object_id":"living_room_temperature",)"
    R"("state_class":"measurement","state_topic":"zigbee2mqtt/Living Room",)"
    R"("unique_id":"0x00158d0001234567_temperature_zigbee2mqtt","unit_of_measurement":"°C",)"
    R"("value_template":"{{ value_json.temperature }}"})";
const std::string z2m_contact_config =
    R"({"device":{"identifiers":["zigbee2mqtt_0x00158d0001234567"],"name":"Living Room"},)"
    R"("device_class":"door","has_entity_name":true,"name":"Door","payload_off":true,"payload_on":false,)"
    R"("state_topic":"zigbee2mqtt/Living Room","unique_id":"0x00158d0001234567_contact_zigbee2mqtt",)"
    R"("value_template":"{{ value_json.contact }}"})";

class discovery : public bridge_test {
protected:
    std::uint64_t ingest(const std::string& path) const { return stats().uint(("/ingest/" + path).c_str()).value_or(0); }
    void named_readings_from_config_and_state();
    void topic_outside_filters_is_read_until_config_removed();
    void availability_and_expire_after_drive_status();
    void unsupported_template_is_counted();
};

class discovery_paho : public discovery {
protected:
    std::vector<std::string> bridge_args() const override { return {"--mqtt-client", "paho"}; }
};

TEST_F(discovery, named_readings_from_config_and_state) { named_readings_from_config_and_state(); }
TEST_F(discovery_paho, named_readings_from_config_and_state) { named_readings_from_config_and_state(); }
TEST_F(discovery, topic_outside_filters_is_read_until_config_removed) { topic_outside_filters_is_read_until_config_removed(); }
TEST_F(discovery_paho, topic_outside_filters_is_read_until_config_removed) {
    topic_outside_filters_is_read_until_config_removed();
}
TEST_F(discovery, availability_and_expire_after_drive_status) { availability_and_expire_after_drive_status(); }
TEST_F(discovery_paho, availability_and_expire_after_drive_status) { availability_and_expire_after_drive_status(); }
TEST_F(discovery, unsupported_template_is_counted) { unsupported_template_is_counted(); }

void discovery::named_readings_from_config_and_state() {
    auto c = connect_client();
    subscribe(*c, "sensor:Living Room.*");
    publisher_->publish("homeassistant/sensor/0x00158d0001234567/temperature/config", z2m_temperature_config, 1, true);
    publisher_->publish("homeassistant/binary_sensor/0x00158d0001234567/contact/config", z2m_contact_config, 1, true);
    ASSERT_TRUE(wait_until([&] { return ingest("discovered") == 2; }, 5000ms)) << stats().text();
    publish("zigbee2mqtt/Living Room", R"({"temperature":21.5,"contact":false,"linkquality":96})");
    ASSERT_TRUE(wait_for_seq("Living%20Room.temperature", 1));
    ASSERT_TRUE(wait_for_seq("Living%20Room.contact", 1));

    const json_doc t = get_json("/api/sensors/Living%20Room.temperature");
    EXPECT_EQ(t.number("/value"), 21.5) << t.text();
    EXPECT_EQ(t.str("/unit"), "°C");
    EXPECT_EQ(t.str("/name"), "Living Room Temperature");
    EXPECT_EQ(t.str("/deviceClass"), "temperature");
    EXPECT_EQ(t.str("/device/id"), "zigbee2mqtt_0x00158d0001234567");
    EXPECT_EQ(t.str("/device/name"), "Living Room");
    const json_doc door = get_json("/api/sensors/Living%20Room.contact");
    EXPECT_EQ(door.boolean("/value"), true) << "contact false is payload_on (open): " << door.text();
    EXPECT_EQ(door.str("/deviceClass"), "door");
    // Read through the configs only: linkquality has none here, so it is no sensor.
    EXPECT_EQ(get("/api/sensors/Living%20Room.linkquality").status, 404);

    const auto frame = c->wait_for([](const std::string& f) {
        return f.find(R"("sensor.reading")") != std::string::npos && f.find("Living Room Temperature") != std::string::npos;
    }, 3000ms);
    ASSERT_TRUE(frame.has_value()) << "no live reading with the name";
    EXPECT_NE(frame->find(R"("deviceClass":"temperature")"), std::string::npos) << *frame;

    // The device's availability (mode all: the bridge's state and the device's) drives status.
    publish("zigbee2mqtt/Living Room/availability", R"({"state":"offline"})");
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/Living%20Room.temperature").str("/status") == "offline"; },
                           5000ms));

    // A changed config reaches subscribers as sensor.meta, and the latest reading carries it.
    std::string renamed = z2m_temperature_config;
    renamed.replace(renamed.find(R"("name":"Temperature")"), 20, R"("name":"Warmth")");
    publisher_->publish("homeassistant/sensor/0x00158d0001234567/temperature/config", renamed, 1, true);
    const auto meta = c->wait_for([](const std::string& f) { return f.find(R"("sensor.meta")") != std::string::npos; }, 3000ms);
    ASSERT_TRUE(meta.has_value());
    EXPECT_NE(meta->find(R"("name":"Living Room Warmth")"), std::string::npos) << *meta;
    EXPECT_EQ(get_json("/api/sensors/Living%20Room.temperature").str("/name"), "Living Room Warmth");
    EXPECT_EQ(ingest("discovered"), 2u);
}

void discovery::topic_outside_filters_is_read_until_config_removed() {
    publisher_->publish("homeassistant/sensor/attic/temp/config",
                        R"({"name":"Attic","stat_t":"custom/attic/t","uniq_id":"attic_temp_1","unit_of_meas":"°C",)"
                        R"("dev_cla":"temperature","val_tpl":"{{ value_json.t | float | round(1) }}"})",
                        1, true);
    ASSERT_TRUE(wait_until([&] { return ingest("discovered") == 1; }, 5000ms)) << stats().text();
    // The bridge subscribes to the state topic after the config: publish until it is read.
    ASSERT_TRUE(wait_until([&] {
        publish("custom/attic/t", R"({"t":"18.46"})");
        return get("/api/sensors/attic_temp_1").status == 200;
    }, 5000ms, 200ms)) << stats().text();
    const json_doc t = get_json("/api/sensors/attic_temp_1");
    EXPECT_EQ(t.number("/value"), 18.5) << t.text();
    EXPECT_EQ(t.str("/name"), "Attic");
    const std::uint64_t seq = t.uint("/seq").value_or(0);

    // An empty retained config removes it: its metadata goes, its topic is no longer read.
    publisher_->publish("homeassistant/sensor/attic/temp/config", "", 1, true);
    ASSERT_TRUE(wait_until([&] { return ingest("discovered") == 0; }, 5000ms)) << stats().text();
    EXPECT_FALSE(get_json("/api/sensors/attic_temp_1").has("/name"));
    // The bridge unsubscribes from the state topic then; the broker acts on the UNSUBSCRIBE when
    // it arrives, so a reading published at once may still come (CI saw one). Rounds of a state
    // reading followed by a marker, until a round delivers the marker alone.
    int round = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            const std::string marker = "marker-" + std::to_string(++round);
            const std::uint64_t received = ingest("received");
            publish("custom/attic/t", R"({"t":"19"})");
            publish("sensors/" + marker, "1");
            return wait_for_seq(marker, 1) && ingest("received") == received + 1;
        },
        10000ms, 100ms))
        << "custom/attic/t was still delivered: " << stats().text();
    // Whatever came before the unsubscription took effect was not a reading of the removed entity.
    EXPECT_EQ(get_json("/api/sensors/attic_temp_1").uint("/seq").value_or(0), seq);
}

void discovery::availability_and_expire_after_drive_status() {
    publisher_->publish("homeassistant/sensor/weather/outside/config",
                        R"({"name":"Outside","stat_t":"weather/sensor/outside/state","avty_t":"weather/status",)"
                        R"("pl_avail":"up","pl_not_avail":"down","exp_aft":2,"uniq_id":"weather_outside"})",
                        1, true);
    ASSERT_TRUE(wait_until([&] { return ingest("discovered") == 1; }, 5000ms)) << stats().text();
    // ESPHome's state topic is under the default filters: the convention's id, the config's name.
    publish("weather/sensor/outside/state", "4.5");
    ASSERT_TRUE(wait_for_seq("weather.outside", 1));
    EXPECT_EQ(get_json("/api/sensors/weather.outside").str("/name"), "Outside");
    EXPECT_EQ(get_json("/api/sensors/weather.outside").str("/status"), "online");
    publish("weather/status", "down");
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/weather.outside").str("/status") == "offline"; }, 5000ms));
    publish("weather/status", "up");
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/weather.outside").str("/status") == "online"; }, 5000ms));
    // expire_after 2 s: stale after 2 s of silence, long before the learned bound (10 s here).
    publish("weather/sensor/outside/state", "4.6");
    ASSERT_TRUE(wait_for_seq("weather.outside", 2));
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/weather.outside").str("/status") == "stale"; }, 8000ms));
    EXPECT_GE(std::chrono::steady_clock::now() - t0, 1500ms) << "stale before expire_after";
}

void discovery::unsupported_template_is_counted() {
    publisher_->publish("homeassistant/sensor/calc/x/config",
                        R"({"name":"X","state_topic":"calc/x","unique_id":"calc_x",)"
                        R"("value_template":"{{ value_json.x * 10 }}"})",
                        1, true);
    ASSERT_TRUE(wait_until([&] { return ingest("discovered") == 1; }, 5000ms)) << stats().text();
    ASSERT_TRUE(wait_until([&] {
        publish("calc/x", R"({"x":2})");
        return ingest("rejectedByReason/unsupported_template") >= 1;
    }, 5000ms, 200ms)) << stats().text();
    EXPECT_EQ(get("/api/sensors/calc_x").status, 404) << "a template it cannot read is never guessed";
}

}  // namespace
}  // namespace sb_it
