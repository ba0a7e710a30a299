// sb-bench-history: fills a bridge database with simulated history through the real store
// (sqlite_store: raw rows per commit, compaction, aggregates, retention, budget), as the
// `history` scenario of tests/bench/run.mjs needs it, and reports what that cost on disk.
// Values come from sensor-sim's own signal model (temperature, humidity, CO2, power, door:
// two decimals or whole numbers, a door's booleans), one reading per sensor per 1/hz seconds
// of simulated time ending at --now. The writer's clock is --now, so every hour before it is
// compacted and retention applies as it would at that moment.
//
// Prints one JSON object: readings, seconds, the file's bytes by table (dbstat), raw bytes per
// raw point (table and indexes), minute-tier bytes per sensor-minute, bytes the process wrote
// per reading (/proc/self/io: WAL and checkpoints included).
#include <sqlite3.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <random>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "persist/sqlite_store.hpp"
#include "signal_model.hpp"

namespace {

std::uint64_t write_bytes() {
    std::ifstream io("/proc/self/io");
    std::string key;
    std::uint64_t value = 0;
    while (io >> key >> value) {
        if (key == "write_bytes:") return value;
    }
    return 0;
}

const char* stem(sim::sensor_kind k) {
    switch (k) {
        case sim::sensor_kind::temperature: return "temp";
        case sim::sensor_kind::humidity: return "humidity";
        case sim::sensor_kind::co2: return "co2";
        case sim::sensor_kind::power: return "power";
        case sim::sensor_kind::door: return "door";
    }
    return "x";
}

std::int64_t query_int(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    std::int64_t v = 0;
    if (sqlite3_prepare_v2(db, sql, -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) v = sqlite3_column_int64(s, 0);
    sqlite3_finalize(s);
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Fills a sensor-bridge database with simulated history through the real store"};
    std::string db_path;
    unsigned sensors = 50;
    double hours = 24, hz = 1;
    std::string prefix = "bench-";
    std::int64_t now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch())
                              .count();
    double raw_retention_h = 48;
    std::uint64_t budget = 1ULL << 30;
    std::uint64_t seed = 42;
    unsigned jitter_ms = 0;
    app.add_option("--db", db_path, "database file (created or extended)")->required();
    app.add_option("--sensors", sensors, "sensors, cycling temperature, humidity, co2, power, door");
    app.add_option("--hours", hours, "simulated hours ending at --now");
    app.add_option("--hz", hz, "readings per second per sensor");
    app.add_option("--prefix", prefix, "sensor id prefix");
    app.add_option("--now", now_ms, "the writer's clock, ms since the epoch (default: now)");
    app.add_option("--raw-retention-h", raw_retention_h, "raw retention, hours");
    app.add_option("--budget", budget, "history budget, bytes");
    app.add_option("--seed", seed, "signal seed");
    app.add_option("--jitter-ms", jitter_ms,
                   "each timestamp moved by up to this many ms either way (a device's clock and timer; "
                   "sensor-sim stamps readings when it sends them)")
        ->check(CLI::Range(0u, 10000u));
    CLI11_PARSE(app, argc, argv);

    sb::store_options o;
    o.path = db_path;
    o.tiers.raw_retention_ms = static_cast<std::int64_t>(raw_retention_h * 3600 * 1000);
    o.tiers.budget_bytes = budget;
    o.maintenance_interval = std::chrono::milliseconds(200);
    o.flush_interval = std::chrono::milliseconds(50);  // the fill paces itself on commits
    o.max_pending_history = 4000000;  // the fill outruns the writer: nothing may be dropped
    o.wall_clock = [now_ms] { return now_ms; };

    std::vector<sim::signal_model> models;
    std::vector<std::string> ids;
    std::vector<std::uint64_t> seqs(sensors, 0);
    for (unsigned i = 0; i < sensors; ++i) {
        const auto kind = static_cast<sim::sensor_kind>(i % 5);
        models.emplace_back(kind, seed, i + 1, 1.0 / hz);
        ids.push_back(prefix + stem(kind) + "-" + std::to_string(i + 1));
    }
    const auto step_ms = static_cast<std::int64_t>(1000.0 / hz);
    std::mt19937_64 rng(seed);
    std::uniform_int_distribution<std::int64_t> jitter(-static_cast<std::int64_t>(jitter_ms), jitter_ms);
    const auto steps = static_cast<std::int64_t>(hours * 3600 * hz);
    const std::int64_t start = now_ms - steps * step_ms;

    const std::uint64_t written_before = write_bytes();
    const auto began = std::chrono::steady_clock::now();
    std::uint64_t readings = 0;
    {
        sb::sqlite_store store(o);
        store.start();
        for (std::int64_t k = 0; k < steps; ++k) {
            for (unsigned i = 0; i < sensors; ++i) {
                sb::reading r;
                r.sensor_id = ids[i];
                const sim::reading_value v = models[i].next();
                if (const double* d = std::get_if<double>(&v)) {
                    r.value = *d;
                } else {
                    r.value = std::get<bool>(v);
                }
                r.timestamp = start + k * step_ms + (jitter_ms ? jitter(rng) : 0);
                r.received_at = r.timestamp;
                r.seq = ++seqs[i];
                store.put(std::move(r));
                ++readings;
            }
            // Paced like a live feed: the writer commits as the bridge's would, in flush
            // intervals, not one huge transaction.
            if ((k + 1) % static_cast<std::int64_t>(std::max(1.0, hz * 600)) == 0) {
                while (store.stats().history_written + store.stats().history_dropped < readings) {
                    std::this_thread::sleep_for(std::chrono::milliseconds(5));
                }
            }
        }
        // Every closed hour compacted.
        sqlite3* probe = nullptr;
        sqlite3_open_v2(db_path.c_str(), &probe, SQLITE_OPEN_READONLY, nullptr);
        const std::int64_t closed = (now_ms - 61000) / 3600000 * 3600000;
        const std::string open_sql = "SELECT count(*) FROM tier_raw WHERE compact = 0 AND hour < " + std::to_string(closed);
        for (int i = 0; i < 6000 && (store.stats().history_written < readings || query_int(probe, open_sql.c_str()) > 0); ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        sqlite3_close(probe);
        store.stop();
    }
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
    const std::uint64_t written = write_bytes() - written_before;

    sqlite3* db = nullptr;
    sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    std::map<std::string, std::int64_t> by_table;
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db, "SELECT name, sum(pgsize) FROM dbstat GROUP BY name", -1, &s, nullptr);
    while (sqlite3_step(s) == SQLITE_ROW) {
        by_table[reinterpret_cast<const char*>(sqlite3_column_text(s, 0))] = sqlite3_column_int64(s, 1);
    }
    sqlite3_finalize(s);
    const std::int64_t raw_points = query_int(db, "SELECT coalesce(sum(point_count), 0) FROM tier_raw");
    const std::int64_t raw_blob = query_int(db, "SELECT coalesce(sum(length(points)), 0) FROM tier_raw");
    const std::int64_t raw_rows = query_int(db, "SELECT count(*) FROM tier_raw");
    const std::int64_t minute_rows = query_int(db, "SELECT count(*) FROM tier_agg WHERE tier = 1");
    const std::int64_t minute_blob = query_int(db, "SELECT coalesce(sum(length(data)), 0) FROM tier_agg WHERE tier = 1");
    const std::int64_t pages = query_int(db, "PRAGMA page_count");
    const std::int64_t free_pages = query_int(db, "PRAGMA freelist_count");
    const std::int64_t page = query_int(db, "PRAGMA page_size");
    sqlite3_close(db);
    const std::int64_t raw_table = by_table["tier_raw"] + by_table["tier_raw_sensor"] + by_table["tier_raw_hour"] +
                                   by_table["tier_raw_open"];
    const std::int64_t agg_table = by_table["tier_agg"] + by_table["tier_agg_start"];

    std::printf("{\"readings\":%llu,\"seconds\":%.2f,\"dbBytes\":%lld,\"rawPoints\":%lld,\"rawRows\":%lld,"
                "\"rawBlobBytes\":%lld,\"rawTableBytes\":%lld,\"rawBytesPerPoint\":%.2f,\"rawBlobBytesPerPoint\":%.2f,"
                "\"minuteRows\":%lld,\"minuteBlobBytes\":%lld,\"aggTableBytes\":%lld,\"minuteBlobBytesPerEntry\":%.2f,"
                "\"latestBytes\":%lld,\"historyChunkBytes\":%lld,\"writtenBytesPerReading\":%.1f}\n",
                static_cast<unsigned long long>(readings), seconds, static_cast<long long>((pages - free_pages) * page),
                static_cast<long long>(raw_points), static_cast<long long>(raw_rows), static_cast<long long>(raw_blob),
                static_cast<long long>(raw_table), raw_points ? static_cast<double>(raw_table) / raw_points : 0.0,
                raw_points ? static_cast<double>(raw_blob) / raw_points : 0.0, static_cast<long long>(minute_rows),
                static_cast<long long>(minute_blob), static_cast<long long>(agg_table),
                minute_rows ? static_cast<double>(minute_blob) / (minute_rows * 60.0) : 0.0,
                static_cast<long long>(by_table["latest"]),
                static_cast<long long>(by_table["history_chunk"] + by_table["history_chunk_sensor"]),
                readings ? static_cast<double>(written) / readings : 0.0);
    return 0;
}
