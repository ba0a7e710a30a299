// Staleness as data (issue 5): a sensor that stops talking turns stale after a few of its
// usual intervals, a reading brings it back, a killed device's will makes it offline; each
// transition is a sensor.status frame and shows in REST.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <deque>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

ws_test_client::frame_predicate status_of(const std::string& id, const std::string& status) {
    return [id, status](const std::string& f) {
        if (!is_frame_type(f, "sensor.status")) return false;
        const json_doc d(f);
        return d.str("/payload/sensorId") == id && d.str("/payload/status") == status && d.has("/payload/since");
    };
}

class status_transitions : public bridge_test {
protected:
    // 5 Hz readings: a learned interval of 200 ms, stale after 3 x 200 = 600 ms (over 400).
    std::vector<std::string> bridge_args() const override { return {"--stale-min-ms", "400", "--stale-factor", "3"}; }
};

TEST_F(status_transitions, silent_sensor_turns_stale_and_a_reading_brings_it_back_online) {
    auto c = connect_client();
    subscribe(*c, "sensor:fast");
    // The sensor's own pace, a reading every 200 ms: the behaviour under test, not a wait.
    auto last_reading = steady::now();
    for (int i = 1; i <= 10; ++i) {
        if (i > 1) std::this_thread::sleep_for(200ms);
        publish("sensors/fast", std::to_string(i));
        last_reading = steady::now();
    }
    ASSERT_TRUE(wait_for_seq("fast", 10));
    const auto stale = c->wait_for(status_of("fast", "stale"), 3000ms);
    ASSERT_TRUE(stale) << "no sensor.status stale within 3 s of silence";
    const auto silence = std::chrono::duration_cast<ms>(c->last_arrival() - last_reading);
    EXPECT_GE(silence.count(), 500) << "stale too early: the learned interval is 200 ms";
    EXPECT_LE(silence.count(), 600 + 100 + 700) << "threshold + one scan period + slack";
    EXPECT_EQ(get_json("/api/sensors/fast").str("/status"), "stale");

    publish("sensors/fast", "11");
    std::deque<std::string> before;
    const auto online = c->wait_for(status_of("fast", "online"), 3000ms, before);
    ASSERT_TRUE(online) << "a reading must bring the sensor back online";
    bool reading_first = false;
    for (const auto& f : before) reading_first |= is_reading_of(f, "fast");
    EXPECT_TRUE(reading_first) << "the reading comes before the status it causes";
    EXPECT_EQ(get_json("/api/sensors/fast").str("/status"), "online");
}

TEST_F(status_transitions, a_late_subscriber_learns_the_status_with_the_snapshot) {
    publish("sensors/quiet", "1");
    ASSERT_TRUE(wait_for_seq("quiet", 1));
    ASSERT_TRUE(wait_until([&] { return get_json("/api/sensors/quiet").str("/status") == "stale"; }, 3000ms));
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "quiet"); }, 2000ms));
    EXPECT_TRUE(c->wait_for(status_of("quiet", "stale"), 2000ms)) << "snapshot without the stale status";
}

// sensor-sim's connection has a will: "offline" on sensor-sim/<client-id>/status, outside the
// default topics (its own availability is no sensor); a bridge that asks for it
// (--topic 'sensor-sim/+/status') sees it as the status of <client-id>. SIGKILL closes its
// socket at once, so the broker publishes the will without waiting for the keepalive (20 s).
class sim_will : public status_transitions {
protected:
    std::vector<std::string> bridge_args() const override { return {"--topic", "sensors/#", "--topic", "sensor-sim/+/status"}; }
};

TEST_F(sim_will, killed_device_goes_offline_through_its_will) {
    auto c = connect_client();
    subscribe(*c, "sensor:lwt1");
    const auto out = dir_ / "sim-lwt.log";
    const std::vector<std::string> argv{SENSOR_SIM_BIN, "--mqtt-url",
                                        "tcp://127.0.0.1:" + std::to_string(broker_->port()),
                                        "--client-id", "lwt1", "--sensors", "1", "--rate", "5", "--quiet"};
    child_process sim(spawn_options{argv, out, {}, dir_.path(), {}});
    ASSERT_TRUE(c->wait_for(status_of("lwt1", "online"), 5000ms))
        << "the simulator never announced itself:\n" << tail_lines(out, 10);
    sim.send_signal(SIGKILL);
    ASSERT_TRUE(sim.wait_exit(3000ms));
    EXPECT_TRUE(c->wait_for(status_of("lwt1", "offline"), 5000ms))
        << "no sensor.status offline from the will\n" << broker_->log_tail(10);
}

// Issue 17: with the default topics the simulator's own availability is no sensor: a
// subscriber of every room learns its devices, and nothing of the simulator itself.
class sim_status_default_topics : public bridge_test {};

TEST_F(sim_status_default_topics, the_simulators_own_status_is_no_sensor) {
    const auto out = dir_ / "sim-own-status.log";
    child_process sim(spawn_options{{SENSOR_SIM_BIN, "--mqtt-url", "tcp://127.0.0.1:" + std::to_string(broker_->port()),
                                     "--client-id", "own1", "--sensors", "2", "--rate", "20", "--count", "4", "--quiet"},
                                    out, {}, dir_.path(), {}});
    ASSERT_TRUE(sim.wait_exit(10000ms)) << tail_lines(out, 10);
    ASSERT_TRUE(wait_until([&] { return get_json("/api/sensors").size("") == 2u; }, 3000ms)) << get("/api/sensors").body;
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    c->send(R"({"type":"ping","id":"barrier"})");  // answered after the whole snapshot
    std::deque<std::string> before_pong;
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 3000ms, before_pong));
    for (const std::string& f : before_pong) {
        EXPECT_EQ(f.find("own1"), std::string::npos) << "the simulator's own status became a sensor: " << f;
    }
}

// A device's status covers its sensors: Zigbee2MQTT publishes readings as one object on
// zigbee2mqtt/dev1 (sensors dev1.temp, dev1.hum) and its availability for the device id dev1.
class device_status : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--topic", "zigbee2mqtt/#"}; }

    std::string rest_status(const std::string& id) const {
        return get_json("/api/sensors/" + id).str("/status").value_or("<none>");
    }
};

TEST_F(device_status, offline_availability_reaches_the_devices_sensors_and_a_reading_ends_it) {
    auto temp = connect_client();
    subscribe(*temp, "sensor:dev1.temp");
    publish("zigbee2mqtt/dev1", R"({"temp":21.5,"hum":40})");
    ASSERT_TRUE(temp->wait_for([](const std::string& f) { return is_reading_of(f, "dev1.temp"); }, 3000ms));
    ASSERT_TRUE(wait_for_seq("dev1.hum", 1));

    publish("zigbee2mqtt/dev1/availability", R"({"state":"offline"})");
    std::deque<std::string> before;
    ASSERT_TRUE(temp->wait_for(status_of("dev1.temp", "offline"), 3000ms, before))
        << "the device's offline never reached its sensor's room";
    for (const auto& f : before) ADD_FAILURE() << "unexpected frame in room sensor:dev1.temp: " << f;
    EXPECT_EQ(rest_status("dev1.temp"), "offline");
    EXPECT_EQ(rest_status("dev1.hum"), "offline");

    // A sensor first seen while its device is offline starts online: its reading shows it talks.
    publish("zigbee2mqtt/dev1", R"({"battery":90})");
    ASSERT_TRUE(wait_for_seq("dev1.battery", 1));
    EXPECT_EQ(rest_status("dev1.battery"), "online");

    publish("zigbee2mqtt/dev1", R"({"temp":22})");
    before.clear();
    ASSERT_TRUE(temp->wait_for(status_of("dev1.temp", "online"), 3000ms, before))
        << "a reading must bring the sensor back online";
    ASSERT_EQ(before.size(), 1u) << "expected the reading, then its status";
    EXPECT_TRUE(is_reading_of(before.front(), "dev1.temp")) << before.front();
    EXPECT_EQ(rest_status("dev1.temp"), "online");
    EXPECT_EQ(rest_status("dev1.hum"), "offline") << "a sibling's reading must not bring it back";

    publish("zigbee2mqtt/dev1/availability", R"({"state":"online"})");
    EXPECT_TRUE(wait_until([&] { return rest_status("dev1.hum") == "online"; }, 3000ms)) << "online never came back";
    EXPECT_EQ(rest_status("dev1.battery"), "online");
}

}  // namespace
}  // namespace sb_it
