// Faults survived (docs/FAULTS.md): the wall clock jumps (an NTP step, a wrong RTC fixed) while
// the bridge runs. libfaketime (LD_PRELOAD) moves the bridge's wall clock by the offset in a
// file the test rewrites; the monotonic clock is left alone, as a real step leaves it. Timers
// (protocol pings, dead peers, staleness, MQTT reconnect backoff) run on the steady clock and
// must not notice; receivedAt follows the wall clock, which proves the jump took effect.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

constexpr const char* libfaketime = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";
constexpr int heartbeat_ms = 400;
constexpr int pong_timeout_ms = 200;
constexpr int stale_min_ms = 2000;  // well above a loaded machine's publish gaps

std::int64_t wall_ms() {
    return std::chrono::duration_cast<ms>(std::chrono::system_clock::now().time_since_epoch()).count();
}

class clock_jump : public bridge_test {
protected:
    std::filesystem::path offset_file() const { return dir_ / "faketime.rc"; }

    void SetUp() override {
        ASSERT_TRUE(std::filesystem::exists(libfaketime)) << libfaketime << " missing: run scripts/setup.sh";
        write_file(offset_file(), "+0\n");
        bridge_test::SetUp();
    }

    std::vector<std::string> bridge_args() const override {
        return {"--heartbeat-ms", std::to_string(heartbeat_ms), "--pong-timeout-ms", std::to_string(pong_timeout_ms),
                "--stale-min-ms", std::to_string(stale_min_ms), "--mqtt-backoff-max-ms", "1000"};
    }
    std::vector<std::string> bridge_env() const override {
        return {std::string("LD_PRELOAD=") + libfaketime, "FAKETIME_TIMESTAMP_FILE=" + offset_file().string(),
                "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1"};
    }

    // Moves the bridge's wall clock to real time + seconds.
    void jump_to(long seconds) { write_file(offset_file(), (seconds >= 0 ? "+" : "") + std::to_string(seconds) + "\n"); }

    // receivedAt of a fresh reading minus the real clock: the bridge's wall-clock offset, ms.
    std::int64_t observed_offset_ms(const std::string& id, int n) {
        const std::int64_t before = wall_ms();
        publish("sensors/" + id, std::to_string(n));
        EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/" + id).number("/value") == n; }, 3000ms));
        return static_cast<std::int64_t>(get_json("/api/sensors/" + id).number("/receivedAt").value_or(0)) - before;
    }

    // A sensor that keeps publishing stays online across the jump; once silent it turns stale
    // in about --stale-min-ms, whichever way the wall clock went.
    void expect_staleness_follows_the_steady_clock(ws_test_client& c, const std::string& id) {
        const auto stale = [&](const std::string& f) {
            const json_doc d(f);
            return d.str("/type") == "sensor.status" && d.str("/payload/sensorId") == id &&
                   d.str("/payload/status") == "stale";
        };
        for (int i = 0; i < 10; ++i) {
            publish("sensors/" + id, std::to_string(i));
            EXPECT_FALSE(c.wait_for(stale, 200ms)) << id << " turned stale while it kept publishing";
        }
        const auto silent_from = steady::now();
        ASSERT_TRUE(c.wait_for(stale, 5000ms)) << id << " never turned stale";
        const auto after = std::chrono::duration_cast<ms>(steady::now() - silent_from).count();
        EXPECT_GE(after, stale_min_ms - 300) << "stale too early";
        EXPECT_LE(after, stale_min_ms + 2000) << "stale too late";
    }

    // A silent peer opened now is dropped within one ping interval plus the pong timeout.
    void expect_dead_peer_reaped() {
        const std::uint64_t before = stats().uint("/ws/connections").value_or(0);
        raw_ws_socket dead(port());
        ASSERT_EQ(dead.handshake(), 101);
        const auto opened = steady::now();
        ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/connections") == before; }, 5000ms)) << stats().text();
        const auto reaped = std::chrono::duration_cast<ms>(steady::now() - opened).count();
        EXPECT_LE(reaped, heartbeat_ms + pong_timeout_ms + 600) << "reaped after " << reaped << " ms";
    }

    // The broker goes away and comes back on its port: reconnected within the backoff cap.
    void expect_mqtt_reconnect() {
        publisher_.reset();
        broker_->stop();
        ASSERT_TRUE(wait_until([&] { return get_json("/api/health").str("/mqtt") == "disconnected"; }, 5000ms));
        broker_->restart();
        const auto up = steady::now();
        ASSERT_TRUE(bridge_->wait_mqtt_connected(10000ms)) << "no reconnect after the clock jump";
        EXPECT_LE(std::chrono::duration_cast<ms>(steady::now() - up).count(), 1000 + 2000);
        publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
    }
};

TEST_F(clock_jump, timers_and_reconnects_ignore_wall_clock_steps_forward_and_back) {
    auto answering = connect_client();  // websocketpp answers every protocol ping
    subscribe(*answering, "sensor:cj-*");
    EXPECT_LT(std::abs(observed_offset_ms("cj-probe", 1)), 5000) << "libfaketime moved the clock before the jump";

    jump_to(2 * 3600);
    EXPECT_NEAR(static_cast<double>(observed_offset_ms("cj-probe", 2)), 7200e3, 60e3)
        << "the wall clock did not jump forward: is libfaketime working?";
    expect_staleness_follows_the_steady_clock(*answering, "cj-fwd");
    expect_dead_peer_reaped();

    jump_to(-2 * 3600);
    EXPECT_NEAR(static_cast<double>(observed_offset_ms("cj-probe", 3)), -7200e3, 60e3)
        << "the wall clock did not jump back";
    expect_staleness_follows_the_steady_clock(*answering, "cj-back");
    expect_dead_peer_reaped();
    expect_mqtt_reconnect();

    // The client that answers pings was never dropped and is still served.
    EXPECT_TRUE(answering->is_open()) << "close code " << answering->close_code();
    publish("sensors/cj-end", "1");
    EXPECT_TRUE(answering->wait_for([](const std::string& f) { return is_reading_of(f, "cj-end"); }, 3000ms));
}

}  // namespace
}  // namespace sb_it
