#include "http/metrics_text.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <sstream>
#include <utility>

namespace sb {
namespace {

TEST(metrics_text, counters_follow_prometheus_conventions) {
    stats_snapshot s;
    s.ingest.received = 7;
    s.ingest.rejected_by_reason["too_deep"] = 2;
    s.ws.connections = 3;
    s.ws.conflated = 11;
    s.ws.slow_closed = 2;
    s.store.commits = 5;
    s.store.history_written = 9;
    health_snapshot h{true, false};
    const std::string text = metrics_text(s, h, "0.1.0");
    for (const char* line : {
             "sensor_bridge_build_info{version=\"0.1.0\"} 1",
             "# TYPE sensor_bridge_ingest_messages_received_total counter",
             "sensor_bridge_ingest_messages_received_total 7",
             "sensor_bridge_ingest_messages_rejected_total{reason=\"too_deep\"} 2",
             "# TYPE sensor_bridge_ws_connections gauge",
             "sensor_bridge_ws_connections 3",
             "# TYPE sensor_bridge_ws_frames_conflated_total counter",
             "sensor_bridge_ws_frames_conflated_total 11",
             "# TYPE sensor_bridge_ws_slow_closed_total counter",
             "sensor_bridge_ws_slow_closed_total 2",
             "sensor_bridge_store_commits_total 5",
             "sensor_bridge_store_history_rows_written_total 9",
             "sensor_bridge_mqtt_connected 1",
             "sensor_bridge_db_ok 0",
             "sensor_bridge_db_recovered 0",
         }) {
        EXPECT_NE(text.find(std::string(line) + "\n"), std::string::npos) << line << "\n" << text;
    }
    // Every sample line belongs to a metric declared with # TYPE.
    std::istringstream in(text);
    std::string l, declared;
    while (std::getline(in, l)) {
        if (l.rfind("# TYPE ", 0) == 0) declared = l.substr(7, l.find(' ', 7) - 7);
        if (l.empty() || l[0] == '#') continue;
        EXPECT_EQ(l.rfind(declared, 0), 0u) << l;
    }
}

// Histograms: _bucket lines with cumulative counts and an "le" label ending in +Inf, then _sum
// in seconds and _count; declared once with # TYPE ... histogram.
TEST(metrics_text, histograms_follow_the_exposition_format) {
    latency_histogram commit{0.001, 0.01};
    commit.observe(std::chrono::microseconds(400));
    commit.observe(std::chrono::microseconds(1500));
    commit.observe(std::chrono::milliseconds(20));
    latency_histogram delivery{0.00025};
    delivery.observe(std::chrono::microseconds(100));
    stats_snapshot s;
    s.store.commit_seconds = commit.snapshot();
    s.delivery_seconds = delivery.snapshot();
    s.mqtt.reconnects = 4;
    const std::string text = metrics_text(s, health_snapshot{}, "0.1.0");
    const std::string expected_commit =
        "# TYPE sensor_bridge_store_commit_seconds histogram\n"
        "sensor_bridge_store_commit_seconds_bucket{le=\"0.001\"} 1\n"
        "sensor_bridge_store_commit_seconds_bucket{le=\"0.01\"} 2\n"
        "sensor_bridge_store_commit_seconds_bucket{le=\"+Inf\"} 3\n"
        "sensor_bridge_store_commit_seconds_sum 0.0219\n"
        "sensor_bridge_store_commit_seconds_count 3\n";
    EXPECT_NE(text.find(expected_commit), std::string::npos) << text;
    const std::string expected_delivery =
        "# TYPE sensor_bridge_delivery_latency_seconds histogram\n"
        "sensor_bridge_delivery_latency_seconds_bucket{le=\"0.00025\"} 1\n"
        "sensor_bridge_delivery_latency_seconds_bucket{le=\"+Inf\"} 1\n"
        "sensor_bridge_delivery_latency_seconds_sum 0.0001\n"
        "sensor_bridge_delivery_latency_seconds_count 1\n";
    EXPECT_NE(text.find(expected_delivery), std::string::npos) << text;
    EXPECT_NE(text.find("# TYPE sensor_bridge_mqtt_reconnects_total counter\nsensor_bridge_mqtt_reconnects_total 4\n"),
              std::string::npos);
}

// Every metric the issue lists exists, with a HELP line and the conventional type and suffix.
TEST(metrics_text, every_operational_metric_is_declared) {
    const std::string text = metrics_text(stats_snapshot{}, health_snapshot{}, "0.1.0");
    const std::pair<const char*, const char*> declared[] = {
        {"sensor_bridge_ingest_messages_received_total", "counter"},
        {"sensor_bridge_ingest_messages_accepted_total", "counter"},
        {"sensor_bridge_ingest_messages_rejected_total", "counter"},
        {"sensor_bridge_ws_frames_sent_total", "counter"},
        {"sensor_bridge_ws_frames_conflated_total", "counter"},
        {"sensor_bridge_ws_frames_dropped_total", "counter"},
        {"sensor_bridge_auth_failures_total", "counter"},
        {"sensor_bridge_ws_messages_rate_limited_total", "counter"},
        {"sensor_bridge_ws_slow_closed_total", "counter"},
        {"sensor_bridge_ws_connections", "gauge"},
        {"sensor_bridge_ws_subscriptions", "gauge"},
        {"sensor_bridge_store_commit_seconds", "histogram"},
        {"sensor_bridge_delivery_latency_seconds", "histogram"},
        {"sensor_bridge_mqtt_connected", "gauge"},
        {"sensor_bridge_mqtt_reconnects_total", "counter"},
        {"sensor_bridge_build_info", "gauge"},
    };
    for (const auto& [name, type] : declared) {
        EXPECT_NE(text.find(std::string("# HELP ") + name + " "), std::string::npos) << name;
        EXPECT_NE(text.find(std::string("# TYPE ") + name + " " + type + "\n"), std::string::npos) << name;
    }
    // An empty histogram still has its +Inf bucket, sum and count.
    EXPECT_NE(text.find("sensor_bridge_delivery_latency_seconds_bucket{le=\"+Inf\"} 0\n"
                        "sensor_bridge_delivery_latency_seconds_sum 0\n"
                        "sensor_bridge_delivery_latency_seconds_count 0\n"),
              std::string::npos)
        << text;
}

}  // namespace
}  // namespace sb
