#pragma once
// The values behind GET /api/stats and /metrics (http/counter_table.hpp lists each one with
// its names; docs/PROTOCOL.md §6). Snapshots are plain values.
#include <cstdint>
#include <map>
#include <string>

#include "core/latency_histogram.hpp"

namespace sb {

struct ingest_stats {
    std::uint64_t received = 0;   // MQTT messages handed to the pipeline
    std::uint64_t accepted = 0;   // messages that produced at least one reading or status
    std::uint64_t rejected = 0;   // messages rejected by the normalizer or over a bound
    std::map<std::string, std::uint64_t> rejected_by_reason;
    std::uint64_t partly_refused = 0;  // accepted messages with readings for new sensors past --max-sensors
    std::uint64_t dead_lettered = 0;       // rejections (and partly refused) republished on --dead-letter-topic
    std::uint64_t dead_letter_failed = 0;  // ... that could not be queued (disconnected, full)
    std::uint64_t duplicates = 0;  // received that were a DUP resend of one already processed (skipped)
    std::uint64_t retained_skipped = 0;  // accepted retained copies of readings the bridge had
    std::uint64_t ignored = 0;  // received on topics that are no device's (Zigbee2MQTT bridge/..., commands)
    std::uint64_t discovered = 0;  // Home Assistant discovery configs in use now (sensor, binary_sensor)
};

struct ws_stats {
    std::uint64_t connections = 0;    // open now
    std::uint64_t subscriptions = 0;  // active now, all connections
    std::uint64_t sent = 0;           // frames queued to clients
    std::uint64_t dropped = 0;        // frames not delivered (slow consumer, closed peer)
    std::uint64_t conflated = 0;      // readings a lagging client never got: a newer one replaced them
    std::uint64_t auth_failures = 0;  // tokens refused (REST, handshake, auth message, reload); missing ones not counted
    std::uint64_t rate_limited = 0;   // client messages dropped over --max-message-rate
    std::uint64_t slow_closed = 0;    // clients closed as slow consumers (4008)
    std::uint64_t queued_bytes = 0;   // owed to all clients past send_budget::floor each (--max-queued-bytes)
};

struct store_stats {
    std::uint64_t sensors = 0;        // sensors in the cache
    std::uint64_t commits = 0;        // SQLite transactions committed
    std::uint64_t written = 0;        // rows upserted
    std::uint64_t failed = 0;         // failed commits
    std::uint64_t unpersisted = 0;    // readings not queued for disk: writer backlog full
    std::uint64_t history_written = 0;  // history rows inserted
    std::uint64_t history_dropped = 0;  // readings not queued for the history table: backlog full
    histogram_snapshot commit_seconds{};  // time of each SQLite transaction (BEGIN..COMMIT)
    // The time-tiered history (tier_writer.hpp), per tier raw, 1m, 1h: the bytes of its stored
    // blobs and the start of the oldest hour (raw, 1m) or day (1h) held, -1 when empty.
    std::uint64_t tier_bytes[3] = {0, 0, 0};
    std::int64_t tier_oldest_ms[3] = {-1, -1, -1};
    std::uint64_t tier_points = 0;      // raw points held
    std::uint64_t tier_dropped = 0;     // readings not queued for the tiered history: backlog full
    std::uint64_t tier_compactions = 0;  // sensor-hours compacted
    std::uint64_t tier_evictions = 0;    // hours or days of a tier deleted to hold the budget
    std::uint64_t db_bytes = 0;          // pages in use in the database file
    std::uint64_t file_bytes = 0;        // the database file's size on disk
    std::uint64_t wal_bytes = 0;         // its -wal file's size on disk
};

struct mqtt_stats {
    std::uint64_t reconnects = 0;  // broker sessions established after the first one
    std::uint64_t paced_reads = 0;  // reads after a batch pause (--mqtt-batch-us)
};

struct stats_snapshot {
    ingest_stats ingest;
    ws_stats ws;
    store_stats store;
    mqtt_stats mqtt;
    // MQTT receipt to the end of the hub fan-out of the reading, for readings that reached at
    // least one client at once (see docs/OPERATIONS.md, "Reading the metrics").
    histogram_snapshot delivery_seconds{};
};

struct health_snapshot {
    bool mqtt_connected = false;
    bool db_ok = false;
    bool db_recovered = false;  // a corrupt file was replaced at start; refilling until a commit
    bool auth_required = false;  // --token-file is set: /api (but health) and /ws need a token
    std::string mqtt_broker = {};  // the --mqtt-url in use (or being tried), without user-info
    std::string instance = {};     // the database's instance id (sqlite_store::instance)
};

}  // namespace sb
