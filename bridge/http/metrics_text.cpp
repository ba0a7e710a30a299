#include "http/metrics_text.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

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
    // name_bucket{le="..."} cumulative counts, +Inf last, then name_sum (seconds) and name_count.
    void histogram(const std::string& name, std::string_view help, const histogram_snapshot& h) {
        metric(name, "histogram", help);
        const std::string bucket = name + "_bucket";
        for (std::size_t i = 0; i < h.upper_bounds.size() && i < h.cumulative.size(); ++i) {
            sample(bucket, h.cumulative[i], "le=\"" + bound(h.upper_bounds[i]) + "\"");
        }
        sample(bucket, h.count, "le=\"+Inf\"");
        out_.append(name).append("_sum ").append(seconds(h.sum_ns)).append("\n");
        sample(name + "_count", h.count);
    }
    std::string take() { return std::move(out_); }

private:
    static std::string bound(double seconds) {
        char buf[32];
        std::snprintf(buf, sizeof buf, "%g", seconds);
        return buf;
    }
    // Exact decimal seconds from integer nanoseconds, trailing zeros cut: 1500000 -> "0.0015".
    static std::string seconds(std::uint64_t ns) {
        char buf[48];
        std::snprintf(buf, sizeof buf, "%llu.%09llu", static_cast<unsigned long long>(ns / 1000000000u),
                      static_cast<unsigned long long>(ns % 1000000000u));
        std::string out(buf);
        while (out.back() == '0') out.pop_back();
        if (out.back() == '.') out.pop_back();
        return out;
    }

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
    e.single("sensor_bridge_ingest_dead_letter_failed_total", "counter",
             "Rejected messages that could not be republished (broker down or client buffer full).", s.dead_letter_failed);
}

void ws_metrics(exposition& e, const ws_stats& s) {
    e.single("sensor_bridge_ws_connections", "gauge", "Open WebSocket connections.", s.connections);
    e.single("sensor_bridge_ws_subscriptions", "gauge", "Active room subscriptions.", s.subscriptions);
    e.single("sensor_bridge_ws_frames_sent_total", "counter", "Reading frames queued to clients.", s.sent);
    e.single("sensor_bridge_ws_frames_dropped_total", "counter", "Frames not delivered (slow or closing peer).", s.dropped);
    e.single("sensor_bridge_ws_frames_conflated_total", "counter",
             "Readings a lagging client never got: replaced by a newer one of the same sensor.", s.conflated);
    e.single("sensor_bridge_auth_failures_total", "counter",
             "Tokens refused (REST, WebSocket handshake, auth message, reload re-check).", s.auth_failures);
    e.single("sensor_bridge_ws_messages_rate_limited_total", "counter",
             "Client messages dropped over --max-message-rate.", s.rate_limited);
    e.single("sensor_bridge_ws_slow_closed_total", "counter",
             "WebSocket clients closed as slow consumers (close code 4008).", s.slow_closed);
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
    e.histogram("sensor_bridge_store_commit_seconds",
                "Time of each SQLite transaction (BEGIN IMMEDIATE to COMMIT), committed or failed.", s.commit_seconds);
}

}  // namespace

std::string metrics_text(const stats_snapshot& stats, const health_snapshot& health, std::string_view version) {
    exposition e;
    e.metric("sensor_bridge_build_info", "gauge", "Build information.");
    e.sample("sensor_bridge_build_info", 1, "version=\"" + label_value(version) + "\"");
    e.single("sensor_bridge_mqtt_connected", "gauge", "1 when the MQTT session is up and every subscription acknowledged.",
             health.mqtt_connected ? 1 : 0);
    e.single("sensor_bridge_mqtt_reconnects_total", "counter", "MQTT sessions established after the first one.",
             stats.mqtt.reconnects);
    e.single("sensor_bridge_mqtt_paced_reads_total", "counter",
             "Reads of the broker's stream after a batch pause (--mqtt-batch-us): the bridge was under load.",
             stats.mqtt.paced_reads);
    e.single("sensor_bridge_db_ok", "gauge", "1 when the last SQLite commit succeeded.", health.db_ok ? 1 : 0);
    e.single("sensor_bridge_db_recovered", "gauge",
             "1 from a start that moved a corrupt database aside until the first commit into the new one.",
             health.db_recovered ? 1 : 0);
    ingest_metrics(e, stats.ingest);
    ws_metrics(e, stats.ws);
    store_metrics(e, stats.store);
    e.histogram("sensor_bridge_delivery_latency_seconds",
                "MQTT receipt to the reading handed to its WebSocket subscribers (end of fan-out), per reading "
                "that reached at least one client.",
                stats.delivery_seconds);
    return e.take();
}

}  // namespace sb
