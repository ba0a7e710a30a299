// Issue 4 end to end: real device conventions through real filters, status frames, the
// dead-letter topic, and sensor-sim's formats and faults accounted for to the reason.
#include <gtest/gtest.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

class device_conventions : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--topic", "zigbee2mqtt/+", "--topic", "zigbee2mqtt/+/availability", "--topic", "tele/+/SENSOR",
                "--topic", "tele/+/LWT",    "--topic", "shellies/#",                 "--topic", "sensors/#"};
    }
};

struct device_case {
    const char* topic;
    const char* payload;
    const char* sensor_id;
    const char* value;  // JSON text of the expected value
};

TEST_F(device_conventions, zigbee2mqtt_tasmota_and_shelly_payloads_become_readings) {
    const device_case cases[] = {
        {"zigbee2mqtt/porch", R"({"battery":97,"humidity":41.2,"temperature":21.6,"linkquality":134})",
         "porch.temperature", "21.6"},
        {"tele/plug1/SENSOR", R"({"Time":"2026-11-22T10:00:00","DS18B20":{"Id":"3C01","Temperature":21.3},"TempUnit":"C"})",
         "plug1.DS18B20.Temperature", "21.3"},
        {"shellies/shellyht-AB12/sensor/temperature", "21.5", "shellyht-AB12.sensor.temperature", "21.5"},
        {"shellies/shellyplug-1/relay/0", "on", "shellyplug-1.relay.0", "\"on\""},
    };
    for (const auto& c : cases) publish(c.topic, c.payload);
    for (const auto& c : cases) {
        SCOPED_TRACE(c.sensor_id);
        ASSERT_TRUE(wait_for_seq(c.sensor_id, 1)) << stats().text();
        const json_doc r = get_json(std::string("/api/sensors/") + c.sensor_id);
        std::string value = r.str("/value") ? "\"" + *r.str("/value") + "\"" : "";
        if (value.empty()) value = r.text().substr(r.text().find("\"value\":") + 8);
        EXPECT_EQ(value.rfind(c.value, 0), 0u) << r.text();
    }
    EXPECT_EQ(get_json("/api/sensors/plug1.DS18B20.Temperature").str("/unit"), "°C");
}

TEST_F(device_conventions, status_topics_push_sensor_status_frames) {
    auto c = connect_client();
    subscribe(*c, "sensor:plug1");
    subscribe(*c, "sensor:hall");
    publish("tele/plug1/LWT", "Offline");
    publish("sensors/hall/status", R"({"state":"online"})");
    auto status_of = [](const std::string& id, const std::string& state) {
        return [id, state](const std::string& f) {
            if (!is_frame_type(f, "sensor.status")) return false;
            const json_doc d(f);
            return d.str("/payload/sensorId") == id && d.str("/payload/status") == state && d.has("/payload/since");
        };
    };
    EXPECT_TRUE(c->wait_for(status_of("plug1", "offline"), 3000ms));
    EXPECT_TRUE(c->wait_for(status_of("hall", "online"), 3000ms));
    EXPECT_EQ(get("/api/sensors/hall.status").status, 404) << "a status topic must not become a reading";
}

// Issue 17: Shelly Gen2+ through real filters, end to end (docs/CONVENTIONS.md, "Shelly Gen2+").
class shelly_gen2_convention : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--topic", "+/events/rpc", "--topic", "+/status/+", "--topic", "+/online"};
    }
    std::string status_of(const std::string& id) const {
        return get_json("/api/sensors/" + id).str("/status").value_or("<none>");
    }
};

TEST_F(shelly_gen2_convention, notifications_and_component_statuses_become_the_documented_readings) {
    const std::string device = "shellyplus1pm-a8032ab12345";
    publish(device + "/events/rpc",
            R"({"src":"shellyplus1pm-a8032ab12345","method":"NotifyStatus","params":{"ts":1795000000.12,)"
            R"("switch:0":{"id":0,"apower":12.3,"aenergy":{"total":1523.412,"by_minute":[1,2,3]}}}})");
    ASSERT_TRUE(wait_for_seq(device + ".switch:0.apower", 1)) << stats().text();
    const json_doc power = get_json("/api/sensors/" + device + ".switch:0.apower");
    EXPECT_EQ(power.str("/unit"), "W") << power.text();
    EXPECT_EQ(power.uint("/timestamp"), 1795000000120u) << power.text();
    EXPECT_EQ(get_json("/api/sensors/" + device + ".switch:0.aenergy.total").str("/unit"), "Wh");
    EXPECT_EQ(get("/api/sensors/" + device + ".switch:0.id").status, 404) << "an id is not a reading";

    publish(device + "/status/switch:0", R"({"id":0,"output":true,"apower":48.6,"temperature":{"tC":43.1}})");
    ASSERT_TRUE(wait_for_seq(device + ".switch:0.apower", 2)) << stats().text();
    EXPECT_EQ(get_json("/api/sensors/" + device + ".switch:0.temperature.tC").str("/unit"), "°C");

    publish(device + "/events/rpc", R"({"method":"NotifyEvent","params":{"events":[{"event":"single_push"}]}})");
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/rejectedByReason/no_value") == 1u; }, 3000ms))
        << stats().text();

    publish(device + "/online", "false");
    EXPECT_TRUE(wait_until([&] { return status_of(device + ".switch:0.apower") == "offline"; }, 3000ms))
        << "the device's online topic covers its sensors";
}

// Issue 17: zero configuration. With no --topic at all, one device of each convention shows up
// with the ids docs/CONVENTIONS.md gives, ESPHome's included.
class default_topics : public bridge_test {};

TEST_F(default_topics, every_convention_is_read_without_configuration) {
    publish("living-room/sensor/temperature/state", "21.4");
    publish("living-room/binary_sensor/motion/state", "ON");
    publish("living-room/text_sensor/wifi_channel/state", "11");
    publish("zigbee2mqtt/porch", R"({"temperature":21.6,"linkquality":134})");
    publish("tele/pool/SENSOR", R"({"Time":"2026-11-18T12:06:40","DS18B20":{"Id":"3C01D607A8C1","Temperature":21.3}})");
    publish("shellies/shellyht-AB12CD/sensor/temperature", "21.50");
    publish("shellyhtg3-84fce63a1b2c/status/temperature:0", R"({"id":0,"tC":21.4,"tF":70.5})");
    publish("sensors/temp-1", "20");
    publish("homeassistant/status", "online");  // Home Assistant's birth: no device
    for (const char* id : {"living-room.temperature", "living-room.motion", "living-room.wifi_channel", "porch.temperature",
                           "pool.DS18B20.Temperature", "shellyht-AB12CD.sensor.temperature",
                           "shellyhtg3-84fce63a1b2c.temperature:0.tC", "temp-1"}) {
        EXPECT_TRUE(wait_for_seq(id, 1)) << id << " never came: " << stats().text();
    }
    EXPECT_EQ(get_json("/api/sensors/living-room.temperature").number("/value"), 21.4);
    EXPECT_EQ(get_json("/api/sensors/living-room.motion").boolean("/value"), true);
    EXPECT_EQ(get_json("/api/sensors/living-room.wifi_channel").str("/value"), "11");

    publish("living-room/status", "offline");
    EXPECT_TRUE(wait_until(
        [&] { return get_json("/api/sensors/living-room.temperature").str("/status") == "offline"; }, 3000ms))
        << "the node's status topic covers its sensors";
    EXPECT_EQ(stats().uint("/ingest/rejected"), 0u) << stats().text();
    EXPECT_EQ(stats().uint("/ingest/ignored"), 1u) << stats().text();
}

class dead_letter_topic : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--dead-letter-topic", "bridge/dead-letter"}; }
};

TEST_F(dead_letter_topic, rejected_messages_are_republished_with_their_reason) {
    const auto out = dir_ / "dead-letter.out";
    child_process sub(spawn_options{{"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p",
                                     std::to_string(broker_->port()), "-t", "bridge/dead-letter", "-C", "1", "-W", "10"},
                                    out, dir_ / "dead-letter.err", {}, {}});
    // mosquitto_sub gives no sign that it has subscribed: publish until it has received one.
    std::optional<int> code;
    for (int i = 0; i < 40 && !code; ++i) {
        publish("sensors/bad", R"({"sensorId":"bad","value":1e999})");
        code = sub.wait_exit(250ms);
    }
    ASSERT_TRUE(code) << "nothing arrived on the dead-letter topic; stats: " << stats().text();
    ASSERT_EQ(*code, 0) << read_whole_file(dir_ / "dead-letter.err");
    const json_doc envelope(read_whole_file(out));
    EXPECT_EQ(envelope.str("/reason"), "non_finite") << envelope.text();
    EXPECT_EQ(envelope.str("/topic"), "sensors/bad");
    EXPECT_EQ(envelope.str("/payload"), R"({"sensorId":"bad","value":1e999})");
    EXPECT_GE(stats().uint("/ingest/deadLettered").value_or(0), 1u);
    EXPECT_EQ(get("/api/sensors/bad").status, 404) << "a rejected message reached the cache";
}

// "faults by bridge reason: bad_id=6 bad_string=11 ..." from sensor-sim's summary.
std::map<std::string, std::uint64_t> faults_by_reason(const std::string& output) {
    std::map<std::string, std::uint64_t> counts;
    const std::string marker = "faults by bridge reason:";
    const auto at = output.find(marker);
    if (at == std::string::npos) return counts;
    std::istringstream line(output.substr(at + marker.size(), output.find('\n', at) - at - marker.size()));
    std::string pair;
    while (line >> pair) {
        const auto eq = pair.find('=');
        if (eq != std::string::npos) counts[pair.substr(0, eq)] = std::stoull(pair.substr(eq + 1));
    }
    return counts;
}

using sim_faults = bridge_test;

TEST_F(sim_faults, every_format_with_faults_is_accounted_for_by_reason) {
    for (const char* format : {"senml", "multi", "mixed"}) {
        SCOPED_TRACE(format);
        const json_doc before = stats();
        const auto out = dir_ / (std::string("sim-faults-") + format + ".log");
        child_process p(spawn_options{{SENSOR_SIM_BIN, "--mqtt-url", "tcp://127.0.0.1:" + std::to_string(broker_->port()),
                                       "--sensors", "16", "--rate", "200", "--count", "80", "--format", format,
                                       "--faults", "0.3", "--qos", "1", "--seed", "11", "--quiet",
                                       "--client-id", std::string("sim-") + format},
                                      out, {}, dir_.path(), {}});
        const auto code = p.wait_exit(20000ms);
        ASSERT_TRUE(code) << tail_lines(out, 10);
        ASSERT_EQ(*code, 0) << tail_lines(out, 10);
        const auto expected = faults_by_reason(read_whole_file(out));
        ASSERT_FALSE(expected.empty()) << "no fault summary:\n" << tail_lines(out, 5);
        std::uint64_t total = 0;
        for (const auto& [reason, n] : expected) total += n;
        const std::uint64_t rejected_before = before.uint("/ingest/rejected").value_or(0);
        ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/rejected").value_or(0) >= rejected_before + total; },
                               5000ms))
            << stats().text() << "\n" << tail_lines(out, 3);
        const json_doc after = stats();
        for (const auto& [reason, n] : expected) {
            const std::string ptr = "/ingest/rejectedByReason/" + reason;
            EXPECT_EQ(after.uint(ptr.c_str()).value_or(0) - before.uint(ptr.c_str()).value_or(0), n) << reason;
        }
        EXPECT_EQ(after.uint("/ingest/rejected").value_or(0) - rejected_before, total) << after.text();
    }
}

}  // namespace
}  // namespace sb_it

namespace sb_it {
namespace {

// Issue 17: names as people give them. A Zigbee2MQTT friendly name with spaces and non-ASCII
// letters (and a '/') travels MQTT -> REST -> WebSocket, its room works, and Zigbee2MQTT's own
// topics are skipped, not read as devices.
class zigbee2mqtt_names : public bridge_test {};

TEST_F(zigbee2mqtt_names, friendly_names_with_spaces_and_umlauts_reach_rest_and_their_rooms) {
    auto c = connect_client();
    subscribe(*c, "sensor:Living Room Sensor.temperature");
    auto kitchen = connect_client();
    subscribe(*kitchen, "sensor:K\xC3\xBC" "che*");

    publish("zigbee2mqtt/Living Room Sensor", R"({"temperature":21.6,"humidity":41.2})");
    publish("zigbee2mqtt/K\xC3\xBC" "che/K\xC3\xBC" "hlschrank", R"({"temperature":4.2})");
    publish("zigbee2mqtt/bridge/state", R"({"state":"online"})");
    publish("zigbee2mqtt/Living Room Lamp/set", R"({"state":"ON"})");

    const auto live = c->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 3000ms);
    ASSERT_TRUE(live) << "no reading in room sensor:Living Room Sensor.temperature";
    EXPECT_EQ(json_doc(*live).str("/payload/sensorId"), "Living Room Sensor.temperature") << *live;
    const auto fridge = kitchen->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 3000ms);
    ASSERT_TRUE(fridge);
    EXPECT_EQ(json_doc(*fridge).str("/payload/sensorId"), "K\xC3\xBC" "che.K\xC3\xBC" "hlschrank.temperature");

    const json_doc rest = get_json("/api/sensors/Living%20Room%20Sensor.temperature");
    EXPECT_EQ(rest.number("/value"), 21.6) << rest.text();
    EXPECT_EQ(get_json("/api/sensors/K%C3%BCche.K%C3%BChlschrank.temperature").number("/value"), 4.2);
    EXPECT_EQ(get_json("/api/sensors?prefix=Living%20Room%20").size(""), 2u);

    ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/ignored") == 2u; }, 3000ms)) << stats().text();
    EXPECT_EQ(get("/api/sensors/bridge.state").status, 404) << "Zigbee2MQTT's bridge became a device";
    EXPECT_EQ(stats().uint("/ingest/rejected"), 0u) << stats().text();

    // A name that breaks the rule is refused as bad_id, counted.
    publish("zigbee2mqtt/Bad*Name", R"({"temperature":1})");
    EXPECT_TRUE(wait_until([&] { return stats().uint("/ingest/rejectedByReason/bad_id") == 1u; }, 3000ms));
    EXPECT_EQ(http_request(port(), "DELETE", "/api/sensors/Living%20Room%20Sensor.humidity").status, 204);
}

}  // namespace
}  // namespace sb_it
