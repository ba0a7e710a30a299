// Faults survived (docs/FAULTS.md): a broker outage long enough for several backoff steps, and
// a bridge that is away while sensors keep publishing (persistent session with --client-id).
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

std::size_t count_matches(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

// The broker is down 10 s with the reconnect wait capped at 3 s: the bridge backs off (a few
// attempts, not a busy loop), reconnects on the same port within the cap once the broker is
// back, resubscribes, and readings flow again. A 30 s outage with the default 30 s cap behaves
// the same, only slower (docs/FAULTS.md, "When things fail").
class mqtt_outage : public bridge_test {
protected:
    static constexpr int backoff_max_ms = 3000;
    std::vector<std::string> bridge_args() const override {
        return {"--mqtt-backoff-max-ms", std::to_string(backoff_max_ms)};
    }
};

TEST_F(mqtt_outage, reconnects_with_backoff_after_a_long_outage_and_readings_flow_again) {
    auto c = connect_client();
    subscribe(*c, "sensor:out-1");
    publish("sensors/out-1", "1");
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "out-1"); }, 3000ms));

    publisher_.reset();
    broker_->stop();
    const auto down_at = steady::now();
    ASSERT_TRUE(wait_until([&] { return get_json("/api/health").str("/mqtt") == "disconnected"; }, 10000ms));
    const std::size_t failed_before = count_matches(read_whole_file(bridge_->log_path()), "mqtt connect failed");
    std::this_thread::sleep_until(down_at + 10s);  // the outage itself, not synchronisation
    const std::size_t attempts =
        count_matches(read_whole_file(bridge_->log_path()), "mqtt connect failed") - failed_before;
    // Waits of 0.5-1, 1-2, then 1.5-3 s: about 4-7 attempts in 10 s; a busy loop makes hundreds.
    EXPECT_GE(attempts, 3u) << "the bridge stopped trying";
    EXPECT_LE(attempts, 15u) << "no backoff between attempts";
    EXPECT_EQ(get("/api/health").status, 503);
    EXPECT_TRUE(c->is_open()) << "WebSocket clients must outlive a broker outage";

    broker_->restart();
    const auto up_at = steady::now();
    ASSERT_TRUE(bridge_->wait_mqtt_connected(15000ms)) << "the bridge never reconnected";
    const auto reconnect_ms = std::chrono::duration_cast<ms>(steady::now() - up_at).count();
    EXPECT_LE(reconnect_ms, backoff_max_ms + 2000) << "reconnected " << reconnect_ms << " ms after the broker was back";

    publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
    publish("sensors/out-1", "2");
    const auto f = c->wait_for([](const std::string& x) { return is_reading_of(x, "out-1"); }, 5000ms);
    ASSERT_TRUE(f) << "connected again but nothing arrives: the subscription was not renewed";
    EXPECT_EQ(json_doc(*f).number("/payload/value"), 2.0);
    EXPECT_EQ(get("/api/health").status, 200);
    const std::string metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("\nsensor_bridge_mqtt_reconnects_total 1\n"), std::string::npos) << metrics;
    RecordProperty("connect_attempts_during_outage", std::to_string(attempts));
    RecordProperty("reconnect_ms", std::to_string(reconnect_ms));
}

// With --client-id the session is persistent: mosquitto queues the QoS 1 readings published
// while the bridge is stopped and delivers them, in order, when it is back.
class mqtt_persistent_session : public bridge_test {
protected:
    static constexpr int published_while_away = 400;  // under the history depth (512)
    std::vector<std::string> bridge_args() const override { return {"--client-id", "sb-it-gateway"}; }
};

TEST_F(mqtt_persistent_session, readings_published_while_the_bridge_is_away_arrive_in_order) {
    publish("sensors/away-1", "0");
    ASSERT_TRUE(wait_for_seq("away-1", 1));
    EXPECT_NE(bridge_->log_tail().find("session=persistent"), std::string::npos) << bridge_->log_tail();
    ASSERT_EQ(bridge_->terminate(3000ms), 0);

    std::vector<mqtt::delivery_token_ptr> sent;
    for (int i = 1; i <= published_while_away; ++i) {
        sent.push_back(publisher_->publish_async("sensors/away-1", std::to_string(i), 1));
    }
    for (auto& t : sent) ASSERT_TRUE(t->wait_for(std::chrono::seconds(10))) << "the broker did not take a reading";

    start_bridge("bridge-returned");
    ASSERT_TRUE(wait_for_seq("away-1", 1 + published_while_away, 10000ms))
        << "queued readings missing: " << get("/api/sensors/away-1").body;
    const json_doc h = get_json("/api/sensors/away-1/history?limit=1000");
    ASSERT_EQ(h.size(""), static_cast<std::size_t>(published_while_away + 1)) << h.text().substr(0, 400);
    std::uint64_t last_seq = 0;
    for (int i = 0; i <= published_while_away; ++i) {
        const std::string at = "/" + std::to_string(i);
        EXPECT_EQ(h.number((at + "/value").c_str()), static_cast<double>(i)) << "out of order at " << i;
        const std::uint64_t seq = h.uint((at + "/seq").c_str()).value_or(0);
        EXPECT_GT(seq, last_seq);
        last_seq = seq;
    }
    EXPECT_EQ(get_json("/api/sensors/away-1").number("/value"), static_cast<double>(published_while_away));
    const json_doc st = stats();
    EXPECT_EQ(st.uint("/ingest/received"), static_cast<std::uint64_t>(published_while_away)) << st.text();
    EXPECT_EQ(st.uint("/ingest/accepted"), static_cast<std::uint64_t>(published_while_away)) << st.text();
}

// Without --client-id the id is random and the session clean: nothing is queued for a bridge
// that will never come back under that id.
using mqtt_clean_session = bridge_test;

TEST_F(mqtt_clean_session, readings_published_while_a_random_id_bridge_is_away_are_not_queued) {
    publish("sensors/gone-1", "0");
    ASSERT_TRUE(wait_for_seq("gone-1", 1));
    EXPECT_NE(bridge_->log_tail().find("session=clean"), std::string::npos) << bridge_->log_tail();
    ASSERT_EQ(bridge_->terminate(3000ms), 0);
    for (int i = 1; i <= 5; ++i) publish("sensors/gone-1", std::to_string(i));
    start_bridge("bridge-returned");
    publish("sensors/gone-1", "99");
    ASSERT_TRUE(wait_for_seq("gone-1", 2));
    EXPECT_EQ(get_json("/api/sensors/gone-1").number("/value"), 99.0);
    EXPECT_EQ(stats().uint("/ingest/received"), 1u) << stats().text();
}

}  // namespace
}  // namespace sb_it
