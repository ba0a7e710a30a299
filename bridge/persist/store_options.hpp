#pragma once
// How the SQLite store is opened and bounded (docs/CONFIGURATION.md names the options behind it).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace sb {

struct tier_options {
    std::int64_t raw_retention_ms = 48LL * 3600 * 1000;
    std::int64_t minute_retention_ms = 90LL * 24 * 3600 * 1000;
    std::int64_t hour_retention_ms = 730LL * 24 * 3600 * 1000;
    std::uint64_t budget_bytes = 1ULL << 30;  // the database file's pages in use; 0: no tiered history
    std::int64_t close_grace_ms = 60 * 1000;  // an hour is compacted this long after its end
};

struct store_options {
    std::string path = "bridge.db";
    // SQLite's synchronous: false NORMAL (the WAL is synced at checkpoints only), true FULL
    // (synced at every commit). docs/OPERATIONS.md, Durability, says what each loses.
    bool sync_full = false;
    // The WAL: a PASSIVE checkpoint this long after a commit (which, in NORMAL, is when the
    // WAL reaches the disk), and its file cut back to wal_limit_bytes once checkpointed.
    std::chrono::milliseconds checkpoint_interval{10000};
    std::int64_t wal_limit_bytes = 4 * 1024 * 1024;
    std::size_t batch_max = 10000;                         // latest rows per transaction at most
    std::chrono::milliseconds flush_interval{500};         // longest a put waits for a commit
    std::size_t max_pending = 100000;                      // distinct sensors waiting to be written
    std::size_t history_depth = 512;                       // history rows kept per sensor; 0: none
    std::size_t history_batch_max = 100000;                // history points per transaction at most
    std::size_t max_pending_history = 200000;              // history points waiting, all sensors
    // The time-tiered history (tier_writer.hpp); budget_bytes 0: none.
    tier_options tiers;
    std::chrono::milliseconds maintenance_interval{10000};  // compaction, retention, figures
    // Longest a sensor's tiered points wait in memory for a run to write together (they are in
    // its --history-depth rows meanwhile); 0: written with every commit.
    std::chrono::milliseconds tier_hold{300000};
    std::function<std::int64_t()> wall_clock;               // ms since the epoch; empty: the system's
};

}  // namespace sb
