// GET /metrics on a running bridge: the latency histograms fill as readings flow, MQTT state
// and reconnects are reported, and every sample line is well-formed.
#include <gtest/gtest.h>

#include <string>

#include "support/bridge_test.hpp"
#include "support/prometheus_text.hpp"

namespace sb_it {
namespace {

using metrics = bridge_test;

double value_or_minus_one(std::uint16_t port, const std::string& series) {
    return scrape(port, series).value_or(-1);
}

TEST_F(metrics, histograms_count_commits_and_deliveries) {
    const http_response before = get("/metrics");
    ASSERT_EQ(before.status, 200);
    EXPECT_NE(before.header("content-type").find("text/plain; version=0.0.4"), std::string::npos);
    EXPECT_EQ(sample_value(before.body, "sensor_bridge_delivery_latency_seconds_count"), 0.0) << before.body;
    EXPECT_EQ(sample_value(before.body, "sensor_bridge_mqtt_connected"), 1.0);
    EXPECT_EQ(sample_value(before.body, "sensor_bridge_build_info{version=\"0.1.0\"}"), 1.0);

    auto client = connect_client();
    subscribe(*client, "sensor:*");
    constexpr int readings = 20;
    for (int i = 1; i <= readings; ++i) publish("sensors/m-" + std::to_string(i % 4), std::to_string(i));
    for (int i = 0; i < readings; ++i) {
        ASSERT_TRUE(client->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 5000ms))
            << "reading " << i;
    }
    // One observation per reading handed to a subscriber; the writer commits within ~100 ms.
    EXPECT_TRUE(wait_until(
        [&] { return value_or_minus_one(port(), "sensor_bridge_delivery_latency_seconds_count") == readings; }, 5000ms));
    EXPECT_TRUE(wait_until(
        [&] { return value_or_minus_one(port(), "sensor_bridge_store_commit_seconds_count") >= 1; }, 5000ms));
    const std::string text = get("/metrics").body;
    const auto inf = sample_value(text, "sensor_bridge_delivery_latency_seconds_bucket{le=\"+Inf\"}");
    EXPECT_EQ(inf, static_cast<double>(readings)) << text;
    // On loopback, far below a second each.
    EXPECT_EQ(sample_value(text, "sensor_bridge_delivery_latency_seconds_bucket{le=\"1\"}"), inf) << text;
    const auto sum = sample_value(text, "sensor_bridge_delivery_latency_seconds_sum");
    ASSERT_TRUE(sum);
    EXPECT_GT(*sum, 0.0);
    EXPECT_LT(*sum, readings * 1.0);
    // Every transaction: committed (commits_total) or failed.
    EXPECT_EQ(sample_value(text, "sensor_bridge_store_commit_seconds_count"),
              *sample_value(text, "sensor_bridge_store_commits_total") +
                  *sample_value(text, "sensor_bridge_store_commit_failures_total"));
    EXPECT_EQ(sample_value(text, "sensor_bridge_ws_connections"), 1.0);
    EXPECT_EQ(sample_value(text, "sensor_bridge_ws_subscriptions"), 1.0);
}

TEST_F(metrics, a_broker_outage_shows_as_disconnected_then_a_reconnect) {
    EXPECT_EQ(scrape(port(), "sensor_bridge_mqtt_reconnects_total"), 0.0);
    publisher_.reset();  // not needed here, and it would reconnect on its own
    broker_->stop();
    EXPECT_TRUE(wait_until([&] { return scrape(port(), "sensor_bridge_mqtt_connected") == 0.0; }, 5000ms));
    broker_->restart();
    // Backoff starts at 1 s (with jitter); subscriptions acknowledged before "connected".
    EXPECT_TRUE(wait_until([&] { return scrape(port(), "sensor_bridge_mqtt_connected") == 1.0; }, 15000ms))
        << bridge_->log_tail();
    EXPECT_EQ(scrape(port(), "sensor_bridge_mqtt_reconnects_total"), 1.0);
}

}  // namespace
}  // namespace sb_it
