#include "http/metrics_text.hpp"

#include <cstdint>
#include <cstdio>
#include <string>

#include "http/counter_table.hpp"

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

}  // namespace

std::string metrics_text(const stats_snapshot& stats, const health_snapshot& health, std::string_view version) {
    exposition e;
    e.metric("sensor_bridge_build_info", "gauge", "Build information.");
    e.sample("sensor_bridge_build_info", 1, "version=\"" + label_value(version) + "\"");
    e.single("sensor_bridge_mqtt_connected", "gauge", "1 when the MQTT session is up and every subscription acknowledged.",
             health.mqtt_connected ? 1 : 0);
    e.metric("sensor_bridge_mqtt_broker_info", "gauge",
             "The --mqtt-url in use, or being tried while disconnected (scheme://host:port).");
    e.sample("sensor_bridge_mqtt_broker_info", 1, "url=\"" + label_value(health.mqtt_broker) + "\"");
    e.single("sensor_bridge_db_ok", "gauge", "1 when the last SQLite commit succeeded.", health.db_ok ? 1 : 0);
    e.single("sensor_bridge_db_recovered", "gauge",
             "1 from a start that moved a corrupt database aside until the first commit into the new one.",
             health.db_recovered ? 1 : 0);
    for (const counter_row& row : counter_table()) {  // counter_table.hpp
        if (row.metric.empty()) continue;
        e.metric(row.metric, row.type, row.help);
        if (row.by_reason) {
            for (const auto& [reason, count] : row.by_reason(stats)) {
                e.sample(row.metric, count, "reason=\"" + label_value(reason) + "\"");
            }
        } else {
            e.sample(row.metric, row.value(stats));
        }
    }
    static constexpr const char* tier_names[3] = {"raw", "1m", "1h"};
    e.metric("sensor_bridge_history_bytes", "gauge",
             "Bytes of the time-tiered history's stored rows' data, by tier (raw readings, minute and hour aggregates).");
    for (int t = 0; t < 3; ++t) e.sample("sensor_bridge_history_bytes", stats.store.tier_bytes[t], std::string("tier=\"") + tier_names[t] + "\"");
    e.metric("sensor_bridge_history_oldest_seconds", "gauge",
             "Start of the oldest hour (raw, 1m) or UTC day (1h) each tier holds, Unix seconds; absent when empty.");
    for (int t = 0; t < 3; ++t) {
        if (stats.store.tier_oldest_ms[t] < 0) continue;
        e.sample("sensor_bridge_history_oldest_seconds", static_cast<std::uint64_t>(stats.store.tier_oldest_ms[t] / 1000),
                 std::string("tier=\"") + tier_names[t] + "\"");
    }
    e.histogram("sensor_bridge_store_commit_seconds",
                "Time of each SQLite transaction (BEGIN IMMEDIATE to COMMIT), committed or failed.",
                stats.store.commit_seconds);
    e.histogram("sensor_bridge_delivery_latency_seconds",
                "MQTT receipt to the reading handed to its WebSocket subscribers (end of fan-out), per reading "
                "that reached at least one client.",
                stats.delivery_seconds);
    return e.take();
}

}  // namespace sb
