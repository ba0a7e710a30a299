#include "http/counter_table.hpp"

namespace sb {
namespace {

using g = stats_group;

#define SB_FIELD(path) [](const stats_snapshot& s) -> std::uint64_t { return s.path; }

const std::map<std::string, std::uint64_t>& rejected_by_reason(const stats_snapshot& s) {
    return s.ingest.rejected_by_reason;
}

}  // namespace

const std::vector<counter_row>& counter_table() {
    static const std::vector<counter_row> rows = {
        {g::mqtt, "", "sensor_bridge_mqtt_reconnects_total", "counter", "MQTT sessions established after the first one.",
         SB_FIELD(mqtt.reconnects)},
        {g::mqtt, "", "sensor_bridge_mqtt_paced_reads_total", "counter",
         "Reads of the broker's stream after a batch pause (--mqtt-batch-us): the bridge was under load.",
         SB_FIELD(mqtt.paced_reads)},
        {g::ingest, "received", "sensor_bridge_ingest_messages_received_total", "counter", "MQTT messages received.",
         SB_FIELD(ingest.received)},
        {g::ingest, "accepted", "sensor_bridge_ingest_messages_accepted_total", "counter",
         "MQTT messages that gave readings or a status.", SB_FIELD(ingest.accepted)},
        {g::ingest, "duplicates", "sensor_bridge_ingest_duplicates_total", "counter",
         "QoS 1/2 resends (DUP) of messages already processed: skipped.", SB_FIELD(ingest.duplicates)},
        {g::ingest, "retainedSkipped", "sensor_bridge_ingest_retained_skipped_total", "counter",
         "Retained messages that repeat (or predate) the sensor's current reading: accepted, no new reading.",
         SB_FIELD(ingest.retained_skipped)},
        {g::ingest, "ignored", "sensor_bridge_ingest_ignored_total", "counter",
         "Messages on topics that are no device's (Zigbee2MQTT bridge/..., commands to devices): skipped.",
         SB_FIELD(ingest.ignored)},
        {g::ingest, "discovered", "sensor_bridge_discovery_configs", "gauge",
         "Home Assistant discovery configs in use (sensor and binary_sensor): each defines one sensor.",
         SB_FIELD(ingest.discovered)},
        {g::ingest, "partlyRefused", "sensor_bridge_ingest_messages_partly_refused_total", "counter",
         "Accepted messages that also gave readings for new sensors past --max-sensors (those refused).",
         SB_FIELD(ingest.partly_refused)},
        {g::ingest, "rejected", "", "counter", "MQTT messages rejected.", SB_FIELD(ingest.rejected)},
        {g::ingest, "rejectedByReason", "sensor_bridge_ingest_messages_rejected_total", "counter",
         "MQTT messages rejected, by reason.", nullptr, rejected_by_reason},
        {g::ingest, "deadLettered", "sensor_bridge_ingest_dead_lettered_total", "counter",
         "Rejected (and partly refused) messages republished on the dead-letter topic.", SB_FIELD(ingest.dead_lettered)},
        {g::ingest, "deadLetterFailed", "sensor_bridge_ingest_dead_letter_failed_total", "counter",
         "Rejected messages that could not be republished (broker down or client buffer full).",
         SB_FIELD(ingest.dead_letter_failed)},
        {g::ws, "connections", "sensor_bridge_ws_connections", "gauge", "Open WebSocket connections.",
         SB_FIELD(ws.connections)},
        {g::ws, "subscriptions", "sensor_bridge_ws_subscriptions", "gauge", "Active room subscriptions.",
         SB_FIELD(ws.subscriptions)},
        {g::ws, "sent", "sensor_bridge_ws_frames_sent_total", "counter", "Reading frames queued to clients.",
         SB_FIELD(ws.sent)},
        {g::ws, "dropped", "sensor_bridge_ws_frames_dropped_total", "counter",
         "Frames not delivered (slow or closing peer).", SB_FIELD(ws.dropped)},
        {g::ws, "conflated", "sensor_bridge_ws_frames_conflated_total", "counter",
         "Readings a lagging client never got: replaced by a newer one of the same sensor.", SB_FIELD(ws.conflated)},
        {g::ws, "authFailures", "sensor_bridge_auth_failures_total", "counter",
         "Tokens refused (REST, WebSocket handshake, auth message, reload re-check).", SB_FIELD(ws.auth_failures)},
        {g::ws, "rateLimited", "sensor_bridge_ws_messages_rate_limited_total", "counter",
         "Client messages dropped over --max-message-rate.", SB_FIELD(ws.rate_limited)},
        {g::ws, "slowClosed", "sensor_bridge_ws_slow_closed_total", "counter",
         "WebSocket clients closed as slow consumers (close code 4008).", SB_FIELD(ws.slow_closed)},
        {g::ws, "queuedBytes", "sensor_bridge_ws_queued_bytes", "gauge",
         "Bytes owed to all clients together past 16 KiB each: what --max-queued-bytes bounds.", SB_FIELD(ws.queued_bytes)},
        {g::store, "sensors", "sensor_bridge_store_sensors", "gauge", "Sensors in the SQLite cache.",
         SB_FIELD(store.sensors)},
        {g::store, "commits", "sensor_bridge_store_commits_total", "counter", "SQLite transactions committed.",
         SB_FIELD(store.commits)},
        {g::store, "written", "sensor_bridge_store_rows_written_total", "counter", "Rows upserted.",
         SB_FIELD(store.written)},
        {g::store, "failed", "sensor_bridge_store_commit_failures_total", "counter", "Failed SQLite commits.",
         SB_FIELD(store.failed)},
        {g::store, "unpersisted", "sensor_bridge_store_unpersisted_total", "counter",
         "Readings not queued for disk (writer backlog full).", SB_FIELD(store.unpersisted)},
        {g::store, "historyWritten", "sensor_bridge_store_history_rows_written_total", "counter",
         "History rows written.", SB_FIELD(store.history_written)},
        {g::store, "historyDropped", "sensor_bridge_store_history_dropped_total", "counter",
         "Readings not queued for history (backlog full).", SB_FIELD(store.history_dropped)},
        {g::store, "dbBytes", "sensor_bridge_store_db_bytes", "gauge",
         "Bytes of the database file's pages in use: what --history-budget holds.", SB_FIELD(store.db_bytes)},
        {g::store, "fileBytes", "sensor_bridge_store_file_bytes", "gauge",
         "Size of the database file on disk (pages in use and free).", SB_FIELD(store.file_bytes)},
        {g::store, "walBytes", "sensor_bridge_store_wal_bytes", "gauge",
         "Size of the database's -wal file on disk: cut back to 4 MiB after each checkpoint.", SB_FIELD(store.wal_bytes)},
        {g::store, "tierPoints", "sensor_bridge_history_raw_points", "gauge",
         "Raw readings held in the time-tiered history.", SB_FIELD(store.tier_points)},
        {g::store, "tierCompactions", "sensor_bridge_history_compactions_total", "counter",
         "Sensor-hours of raw history compacted into one row and their minute and hour aggregates.",
         SB_FIELD(store.tier_compactions)},
        {g::store, "tierEvictions", "sensor_bridge_history_evictions_total", "counter",
         "Hours (raw, minutes) or days (hours) of history deleted to hold --history-budget.",
         SB_FIELD(store.tier_evictions)},
        {g::store, "tierDropped", "sensor_bridge_history_dropped_total", "counter",
         "Readings not queued for the time-tiered history (writer backlog full).", SB_FIELD(store.tier_dropped)},
    };
    return rows;
}

#undef SB_FIELD

std::string_view group_key(stats_group group) noexcept {
    switch (group) {
        case stats_group::ingest: return "ingest";
        case stats_group::ws: return "ws";
        case stats_group::store: return "store";
        case stats_group::mqtt: return "mqtt";
    }
    return "";
}

}  // namespace sb
