// Home Assistant discovery in the data path (docs/CONVENTIONS.md "Home Assistant discovery"),
// without sockets: config messages in, then readings, metadata, statuses and the topics the
// pipeline asks the MQTT source to read. The registry, hub and parsers are the real ones.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "app/ingest_pipeline.hpp"
#include "config/options.hpp"
#include "hub/room.hpp"
#include "pipeline_fakes.hpp"
#include "state/sensor_registry.hpp"

namespace sb {
namespace {

std::vector<topic_filter> default_filters() {
    std::vector<topic_filter> out;
    for (const std::string& f : default_topics()) out.push_back(*topic_filter::parse(f));
    return out;
}

const char* const porch_temperature =
    R"({"device":{"identifiers":["zigbee2mqtt_0x00158d0001234567"],"name":"Porch"},"device_class":"temperature",)"
    R"("has_entity_name":true,"name":"Temperature","state_topic":"zigbee2mqtt/Porch",)"
    R"("unique_id":"0x00158d0001234567_temperature_zigbee2mqtt","unit_of_measurement":"°C",)"
    R"("value_template":"{{ value_json.temperature }}","availability":[{"topic":"zigbee2mqtt/Porch/availability",)"
    R"("value_template":"{{ value_json.state }}"}],"expire_after":60})";
const char* const porch_contact =
    R"({"device":{"identifiers":["zigbee2mqtt_0x00158d0001234567"],"name":"Porch"},"device_class":"door",)"
    R"("has_entity_name":true,"name":"Door","state_topic":"zigbee2mqtt/Porch","payload_on":false,"payload_off":true,)"
    R"("unique_id":"0x00158d0001234567_contact_zigbee2mqtt","value_template":"{{ value_json.contact }}"})";

class ingest_discovery_test : public ::testing::Test {
protected:
    ingest_discovery_test() : registry_(100, 16), pipeline_({}, default_filters(), registry_, hub_, sink_, make_text_message) {
        client_ = std::make_shared<subscriber>();
        hub_.subscribe(hub_.connect(client_), *room::parse("sensor:*"));
        pipeline_.set_topic_subscriber([this](const std::string& t, bool add) { topics_.emplace_back(t, add); });
    }
    void receive(const std::string& topic, const std::string& payload, bool retained = false) {
        mqtt_message m;
        m.topic = topic;
        m.payload = payload;
        m.received_at = 1795000000000;
        m.retained = retained;
        pipeline_.process(m);
    }
    std::string latest_text(const std::string& id) const {
        const auto* e = registry_.find(id);
        return e && e->message ? e->message->text() : std::string();
    }
    std::size_t sent(const std::string& type) const {
        std::size_t n = 0;
        for (const auto& g : client_->got) n += g.text.find("\"type\":\"" + type + "\"") != std::string::npos;
        return n;
    }
    std::uint64_t rejected(const char* reason) const {
        const auto& by = pipeline_.stats().rejected_by_reason;
        const auto it = by.find(reason);
        return it == by.end() ? 0 : it->second;
    }

    hub hub_{8};
    sensor_registry registry_;
    fake_sink sink_;
    ingest_pipeline pipeline_;
    std::shared_ptr<subscriber> client_;
    std::vector<std::pair<std::string, bool>> topics_;
};

TEST_F(ingest_discovery_test, a_config_and_its_state_give_named_readings_and_nothing_the_configs_do_not_name) {
    receive("homeassistant/sensor/0x00158d0001234567/temperature/config", porch_temperature, true);
    receive("homeassistant/binary_sensor/0x00158d0001234567/contact/config", porch_contact, true);
    EXPECT_EQ(pipeline_.stats().discovered, 2u);
    receive("zigbee2mqtt/Porch", R"({"temperature":19.46,"contact":false,"linkquality":96})");
    const std::string t = latest_text("Porch.temperature");
    EXPECT_NE(t.find(R"("value":19.46,"unit":"°C")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"("name":"Porch Temperature","deviceClass":"temperature",)"
                     R"("device":{"id":"zigbee2mqtt_0x00158d0001234567","name":"Porch"})"),
              std::string::npos)
        << t;
    EXPECT_NE(latest_text("Porch.contact").find(R"("value":true)"), std::string::npos) << "contact false is payload_on";
    EXPECT_EQ(registry_.find("Porch.linkquality"), nullptr) << "read through the configs only";
    EXPECT_EQ(pipeline_.stats().accepted, 3u);
    // The state topic is under zigbee2mqtt/#: read already, no second subscription.
    EXPECT_TRUE(topics_.empty());
}

TEST_F(ingest_discovery_test, a_sensor_seen_before_its_config_keeps_its_id_and_gets_the_metadata_pushed) {
    receive("zigbee2mqtt/Porch", R"({"temperature":19.5})");
    ASSERT_NE(registry_.find("Porch.temperature"), nullptr);
    EXPECT_EQ(latest_text("Porch.temperature").find("\"name\""), std::string::npos);
    receive("homeassistant/sensor/0x00158d0001234567/temperature/config", porch_temperature, true);
    EXPECT_EQ(sent("sensor.meta"), 1u);
    EXPECT_NE(latest_text("Porch.temperature").find(R"("name":"Porch Temperature")"), std::string::npos);
    EXPECT_NE(latest_text("Porch.temperature").find(R"("seq":1)"), std::string::npos) << "no new reading";
    // The same config again (every reconnect: it is retained) changes nothing.
    receive("homeassistant/sensor/0x00158d0001234567/temperature/config", porch_temperature, true);
    EXPECT_EQ(sent("sensor.meta"), 1u);
    // An empty config removes the metadata, and says so.
    receive("homeassistant/sensor/0x00158d0001234567/temperature/config", "", true);
    EXPECT_EQ(pipeline_.stats().discovered, 0u);
    EXPECT_EQ(sent("sensor.meta"), 2u);
    EXPECT_EQ(client_->got.back().text, R"({"type":"sensor.meta","payload":{"sensorId":"Porch.temperature"}})");
    EXPECT_EQ(latest_text("Porch.temperature").find("\"name\""), std::string::npos);
}

TEST_F(ingest_discovery_test, state_topics_outside_the_filters_are_read_while_a_config_names_them) {
    receive("homeassistant/sensor/attic/t/config",
            R"({"name":"Attic","stat_t":"custom/attic/t","avty_t":"custom/attic/up","uniq_id":"attic_t",)"
            R"("val_tpl":"{{ value_json.t | float | round(1) }}"})");
    const std::vector<std::pair<std::string, bool>> added{{"custom/attic/t", true}, {"custom/attic/up", true}};
    EXPECT_EQ(topics_, added);
    receive("custom/attic/t", R"({"t":"18.46"})");
    EXPECT_NE(latest_text("attic_t").find(R"("value":18.5)"), std::string::npos) << "id from unique_id, value rounded";
    topics_.clear();
    receive("homeassistant/sensor/attic/t/config",
            R"({"name":"Attic","stat_t":"custom/attic/t2","avty_t":"custom/attic/up","uniq_id":"attic_t"})");
    const std::vector<std::pair<std::string, bool>> moved{{"custom/attic/t", false}, {"custom/attic/t2", true}};
    EXPECT_EQ(topics_, moved);
    topics_.clear();
    receive("homeassistant/sensor/attic/t/config", "");
    const std::vector<std::pair<std::string, bool>> dropped{{"custom/attic/t2", false}, {"custom/attic/up", false}};
    EXPECT_EQ(topics_, dropped);
}

TEST_F(ingest_discovery_test, availability_payloads_and_expire_after_drive_the_status) {
    receive("homeassistant/sensor/0x00158d0001234567/temperature/config", porch_temperature, true);
    receive("zigbee2mqtt/Porch", R"({"temperature":19.5})");
    const auto* e = registry_.find("Porch.temperature");
    ASSERT_NE(e, nullptr);
    ASSERT_NE(e->status, nullptr);
    EXPECT_EQ(e->status->expire_ms, 60000u);
    EXPECT_EQ(registry_.status().threshold_ms(*e->status), 60000);
    receive("zigbee2mqtt/Porch/availability", R"({"state":"offline"})");
    EXPECT_EQ(e->status->status, sensor_status::offline);
    receive("zigbee2mqtt/Porch/availability", R"({"state":"online"})");
    EXPECT_EQ(e->status->status, sensor_status::online);
    receive("zigbee2mqtt/Porch/availability", R"({"state":"maybe"})");
    EXPECT_EQ(rejected("no_value"), 1u);
}

TEST_F(ingest_discovery_test, what_cannot_be_read_is_rejected_by_reason_never_guessed) {
    receive("homeassistant/sensor/calc/x/config", R"({"state_topic":"calc/x","uniq_id":"calc_x","val_tpl":"{{ value_json.x * 10 }}"})");
    EXPECT_EQ(pipeline_.stats().discovered, 1u);
    receive("calc/x", R"({"x":2})");
    EXPECT_EQ(rejected("unsupported_template"), 1u);
    EXPECT_EQ(registry_.find("calc_x"), nullptr);
    receive("homeassistant/sensor/calc/y/config", R"({"name":"no state topic"})");
    EXPECT_EQ(rejected("bad_discovery_config"), 1u);
    receive("homeassistant/binary_sensor/0x00158d0001234567/contact/config", porch_contact);
    receive("zigbee2mqtt/Porch", R"({"contact":"ajar"})");
    EXPECT_EQ(rejected("no_value"), 1u) << "neither payload_on nor payload_off";
    receive("homeassistant/switch/plug/relay/config", R"({"state_topic":"plug/relay","command_topic":"plug/set"})");
    EXPECT_EQ(pipeline_.stats().ignored, 1u) << "only sensor and binary_sensor are sensors";
}

// The README's row for discovery (its other rows are checked against the normalizer alone).
TEST_F(ingest_discovery_test, the_readme_row_gives_what_it_shows) {
    const std::string config = R"({"name":"Outside","stat_t":"weather/sensor/outside/state","unit_of_meas":"°C","dev_cla":"temperature"})";
    const std::string row = "| Home Assistant discovery | `homeassistant/+/+/+/config` | "
                            "`homeassistant/sensor/weather/outside/config`, then `weather/sensor/outside/state` | `" +
                            config + "`, then `4.5` | `weather.outside` = 4.5 °C, named \"Outside\", deviceClass `temperature` |";
    std::ifstream in(SB_README);
    std::ostringstream readme;
    readme << in.rdbuf();
    EXPECT_NE(readme.str().find(row), std::string::npos) << "README.md lacks:\n" << row;
    receive("homeassistant/sensor/weather/outside/config", config, true);
    receive("weather/sensor/outside/state", "4.5");
    const std::string t = latest_text("weather.outside");
    EXPECT_NE(t.find(R"("value":4.5,"unit":"°C")"), std::string::npos) << t;
    EXPECT_NE(t.find(R"("name":"Outside","deviceClass":"temperature")"), std::string::npos) << t;
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// --max-discovery-bytes: the configs held, topics and payloads together; past it a new config
// is refused (too_many_sensors) and a changed one keeps its old form; a removed one frees room.
TEST(ingest_discovery_bytes, configs_past_the_byte_bound_are_refused_and_removal_frees_room) {
    hub h{8};
    sensor_registry registry(100, 16);
    fake_sink sink;
    normalize_options n;
    const std::string t1 = "homeassistant/sensor/0x00158d0001234567/temperature/config";
    const std::string t2 = "homeassistant/binary_sensor/0x00158d0001234567/contact/config";
    n.max_discovery_bytes = t1.size() + std::string(porch_temperature).size() + 100;  // one fits, not two
    std::vector<topic_filter> filters;
    for (const std::string& f : default_topics()) filters.push_back(*topic_filter::parse(f));
    ingest_pipeline p(n, filters, registry, h, sink, make_text_message);
    const auto receive = [&](const std::string& topic, const std::string& payload) {
        mqtt_message m;
        m.topic = topic;
        m.payload = payload;
        m.received_at = 1795000000000;
        p.process(m);
    };
    const auto refused = [&] {
        const auto& by = p.stats().rejected_by_reason;
        const auto it = by.find("too_many_sensors");
        return it == by.end() ? 0u : it->second;
    };
    receive(t1, porch_temperature);
    EXPECT_EQ(p.stats().discovered, 1u);
    receive(t2, porch_contact);
    EXPECT_EQ(p.stats().discovered, 1u);
    EXPECT_EQ(refused(), 1u);
    receive(t1, "");  // removed
    EXPECT_EQ(p.stats().discovered, 0u);
    receive(t2, porch_contact);
    EXPECT_EQ(p.stats().discovered, 1u);
    EXPECT_EQ(refused(), 1u);
}

}  // namespace
}  // namespace sb
