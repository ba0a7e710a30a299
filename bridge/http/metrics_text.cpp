#include "http/metrics_text.hpp"

#include <cstdint>

namespace sb {
namespace {

class exposition {
public:
    void metric(std::string_view name, std::string_view type, std::string_view help) {
        out_.append("# HELP ").append(name).append(" ").append(help).append("\n");
        out_.append("# TYPE ").append(name).append(" ").append(type).append("\n");
    }
    void sample(std::string_view name, std::uint64_t value, std::string_view labels = {}) {
        out_.append(name);
        if (!labels.empty()) out_.append("{").append(labels).append("}");
        out_.append(" ").append(std::to_string(value)).append("\n");
    }
    void single(std::string_view name, std::string_view type, std::string_view help, std::uint64_t value) {
        metric(name, type, help);
        sample(name, value);
    }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

// Label values are reason names and the version: escape the three characters the format reserves.
std::string label_value(std::string_view v) {
    std::string out;
    for (char c : v) {
        if (c == '\\' || c == '"') out.push_back('\\');
        if (c == '\n') {
            out.append("\\n");
            continue;
        }
        out.push_back(c);
    }
    return out;
}

void ingest_metrics(exposition& e, const ingest_stats& s) {
    e.single("sensor_bridge_ingest_messages_received_total", "counter", "MQTT messages received.", s.received);
    e.single("sensor_bridge_ingest_messages_accepted_total", "counter", "MQTT messages that gave readings or a status.",
             s.accepted);
    e.metric("sensor_bridge_ingest_messages_rejected_total", "counter", "MQTT messages rejected, by reason.");
    for (const auto& [reason, count] : s.rejected_by_reason) {
        e.sample("sensor_bridge_ingest_messages_rejected_total", count, "reason=\"" + label_value(reason) + "\"");
    }
    e.single("sensor_bridge_ingest_dead_lettered_total", "counter", "Rejected messages republished on the dead-letter topic.",
             s.dead_lettered);
}

void ws_metrics(exposition& e, const ws_stats& s) {
    e.single("sensor_bridge_ws_connections", "gauge", "Open WebSocket connections.", s.connections);
    e.single("sensor_bridge_ws_subscriptions", "gauge", "Active room subscriptions.", s.subscriptions);
    e.single("sensor_bridge_ws_frames_sent_total", "counter", "Reading frames queued to clients.", s.sent);
    e.single("sensor_bridge_ws_frames_dropped_total", "counter", "Frames not delivered (slow or closing peer).", s.dropped);
    e.single("sensor_bridge_ws_frames_conflated_total", "counter",
             "Readings a lagging client never got: replaced by a newer one of the same sensor.", s.conflated);
}

void store_metrics(exposition& e, const store_stats& s) {
    e.single("sensor_bridge_store_sensors", "gauge", "Sensors in the SQLite cache.", s.sensors);
    e.single("sensor_bridge_store_commits_total", "counter", "SQLite transactions committed.", s.commits);
    e.single("sensor_bridge_store_rows_written_total", "counter", "Rows upserted.", s.written);
    e.single("sensor_bridge_store_commit_failures_total", "counter", "Failed SQLite commits.", s.failed);
    e.single("sensor_bridge_store_unpersisted_total", "counter", "Readings not queued for disk (writer backlog full).",
             s.unpersisted);
    e.single("sensor_bridge_store_history_rows_written_total", "counter", "History rows written.", s.history_written);
    e.single("sensor_bridge_store_history_dropped_total", "counter", "Readings not queued for history (backlog full).",
             s.history_dropped);
}

}  // namespace

std::string metrics_text(const stats_snapshot& stats, const health_snapshot& health, std::string_view version) {
    exposition e;
    e.metric("sensor_bridge_build_info", "gauge", "Build information.");
    e.sample("sensor_bridge_build_info", 1, "version=\"" + label_value(version) + "\"");
    e.single("sensor_bridge_mqtt_connected", "gauge", "1 when the MQTT session is up.", health.mqtt_connected ? 1 : 0);
    e.single("sensor_bridge_db_ok", "gauge", "1 when the last SQLite commit succeeded.", health.db_ok ? 1 : 0);
    ingest_metrics(e, stats.ingest);
    ws_metrics(e, stats.ws);
    store_metrics(e, stats.store);
    return e.take();
}

}  // namespace sb
