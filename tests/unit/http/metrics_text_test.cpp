#include "http/metrics_text.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace sb {
namespace {

TEST(metrics_text, counters_follow_prometheus_conventions) {
    stats_snapshot s;
    s.ingest.received = 7;
    s.ingest.rejected_by_reason["too_deep"] = 2;
    s.ws.connections = 3;
    s.ws.conflated = 11;
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
             "sensor_bridge_store_commits_total 5",
             "sensor_bridge_store_history_rows_written_total 9",
             "sensor_bridge_mqtt_connected 1",
             "sensor_bridge_db_ok 0",
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

}  // namespace
}  // namespace sb
