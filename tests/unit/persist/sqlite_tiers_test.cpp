// The time-tiered history through the real store and file: raw rows per commit, compaction into
// one row and minute and hour aggregates, back-filled readings, retention, the budget's eviction
// order, forgetting. The writer's clock is the test's (store_options::wall_clock).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <filesystem>
#include <cstdint>
#include <string>
#include <vector>

#include "persist/sqlite_store.hpp"
#include "persist/tier_reader.hpp"
#include "persist/tier_table.hpp"
#include "store_fixtures.hpp"

namespace sb {
namespace {

using namespace store_fixtures;
using namespace std::chrono_literals;

constexpr std::int64_t hour = 3600LL * 1000;
constexpr std::int64_t day0 = 1795046400000;  // 2026-11-19T00:00:00Z, a UTC day's start

reading at(const std::string& id, reading_value v, std::int64_t t, std::uint64_t seq) {
    reading r = make_reading(id, std::move(v), seq);
    r.timestamp = t;
    return r;
}

class sqlite_tiers_test : public store_dir_test {
protected:
    store_options tier_options() {
        store_options o = options();
        o.maintenance_interval = 20ms;
        o.flush_interval = 20ms;
        o.wall_clock = [this] { return now_.load(); };
        o.tier_hold = 0ms;  // written with every commit (the buffering has its own tests)
        return o;
    }
    std::int64_t count(const char* sql) {
        auto db = open_raw(path_);
        return std::stoll(query_text(db.get(), sql));
    }
    // Reads through a second connection, as the history reader does.
    tier_slice slice(const std::string& id, int tier, std::int64_t from, std::int64_t to) {
        auto db = open_raw(path_);
        tier_reader r(db.get());
        tier_slice out;
        EXPECT_TRUE(r.aggregates(id, tier, from, to, out));
        return out;
    }
    std::vector<chunk_point> raw(const std::string& id, std::int64_t from, std::int64_t to) {
        auto db = open_raw(path_);
        tier_reader r(db.get());
        std::vector<chunk_point> out;
        EXPECT_TRUE(r.raw(id, from, to, out));
        return out;
    }
    // An hour of a 1 Hz sensor starting at `start`: 21.00, 21.01, ... 21.59 repeating each minute.
    static void put_hour(sqlite_store& s, const std::string& id, std::int64_t start, std::uint64_t& seq) {
        for (int i = 0; i < 3600; ++i) ASSERT_TRUE(s.put(at(id, 21.0 + (i % 60) / 100.0, start + i * 1000LL, ++seq)));
    }

    std::atomic<std::int64_t> now_{day0 + 3 * hour};
};

TEST_F(sqlite_tiers_test, each_commit_adds_a_raw_row_per_hour_placed_by_the_readings_own_time) {
    now_ = day0 + 30 * 60 * 1000;  // the readings' hours are still open: nothing compacted
    {
        sqlite_store store(tier_options());
        store.start();
        std::uint64_t seq = 0;
        ASSERT_TRUE(store.put(at("t", 1.5, day0 + 10, ++seq)));
        ASSERT_TRUE(store.put(at("t", 2.5, day0 - 10, ++seq)));  // late: the hour before
        store.stop();
    }
    EXPECT_EQ(count("SELECT count(*) FROM tier_raw WHERE sensor_id = 't' AND compact = 0"), 2);
    const auto points = raw("t", day0 - hour, day0 + hour);
    ASSERT_EQ(points.size(), 2u);
    EXPECT_EQ(points[0], (chunk_point{day0 - 10, 2.5}));
    EXPECT_EQ(points[1], (chunk_point{day0 + 10, 1.5}));
}

TEST_F(sqlite_tiers_test, a_closed_hour_becomes_one_row_and_its_minute_and_hour_aggregates) {
    sqlite_store store(tier_options());
    std::uint64_t seq = 0;
    put_hour(store, "t", day0, seq);
    store.start();
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 1; }));
    EXPECT_EQ(count("SELECT count(*) FROM tier_raw WHERE sensor_id = 't'"), 1);
    EXPECT_EQ(count("SELECT point_count FROM tier_raw WHERE sensor_id = 't' AND compact = 1"), 3600);
    const tier_slice minutes = slice("t", tier_table::minute_tier, day0, day0 + hour - 1);
    ASSERT_EQ(minutes.entries.size(), 60u);
    for (const agg_entry& e : minutes.entries) {
        EXPECT_EQ(e.count, 60u);
        EXPECT_DOUBLE_EQ(e.min, 21.0);
        EXPECT_DOUBLE_EQ(e.max, 21.59);
        EXPECT_DOUBLE_EQ(e.first, 21.0);
        EXPECT_DOUBLE_EQ(e.last, 21.59);
        EXPECT_EQ(e.t_last - e.t_first, 59000);
    }
    const tier_slice hours = slice("t", tier_table::hour_tier, day0, day0 + hour - 1);
    ASSERT_EQ(hours.entries.size(), 1u);
    EXPECT_EQ(hours.entries[0].t, day0);
    EXPECT_EQ(hours.entries[0].count, 3600u);
    EXPECT_NEAR(hours.entries[0].mean(), 21.295, 1e-9);
    // Bytes a raw point costs in its compacted blob (the row's own overhead aside).
    const double blob_per_point = static_cast<double>(count("SELECT length(points) FROM tier_raw WHERE sensor_id = 't'")) / 3600;
    EXPECT_LT(blob_per_point, 2.5);
    store.stop();
    EXPECT_GT(store.stats().tier_bytes[0], 0u);
}

TEST_F(sqlite_tiers_test, a_back_filled_reading_recomputes_its_hour_and_past_raw_retention_merges_in) {
    auto o = tier_options();
    sqlite_store store(o);
    std::uint64_t seq = 0;
    put_hour(store, "t", day0, seq);
    store.start();
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 1; }));
    // Late, into the compacted hour: its rows are merged again, the aggregates recomputed.
    ASSERT_TRUE(store.put(at("t", 99.0, day0 + 5, ++seq)));
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 2; }));
    tier_slice hours = slice("t", tier_table::hour_tier, day0, day0 + hour - 1);
    ASSERT_EQ(hours.entries.size(), 1u);
    EXPECT_EQ(hours.entries[0].count, 3601u);
    EXPECT_DOUBLE_EQ(hours.entries[0].max, 99.0);
    // Three days on, the raw hour is gone; a reading back-filled then merges into the aggregates.
    now_ = day0 + 72 * hour;
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM tier_raw") == 0; }));
    ASSERT_TRUE(store.put(at("t", -5.0, day0 + 59 * 60 * 1000 + 1, ++seq)));
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 3 && count("SELECT count(*) FROM tier_raw") == 0; }));
    hours = slice("t", tier_table::hour_tier, day0, day0 + hour - 1);
    ASSERT_EQ(hours.entries.size(), 1u);
    EXPECT_EQ(hours.entries[0].count, 3602u);
    EXPECT_DOUBLE_EQ(hours.entries[0].min, -5.0);
    const tier_slice minutes = slice("t", tier_table::minute_tier, day0, day0 + hour - 1);
    ASSERT_EQ(minutes.entries.size(), 60u);
    EXPECT_EQ(minutes.entries.back().count, 61u);
    EXPECT_DOUBLE_EQ(minutes.entries.back().min, -5.0);
    EXPECT_DOUBLE_EQ(minutes.entries.back().last, 21.59) << "placed by its time: not the minute's last";
}

TEST_F(sqlite_tiers_test, booleans_and_text_keep_their_changes_not_aggregates) {
    sqlite_store store(tier_options());
    std::uint64_t seq = 0;
    for (int i = 0; i < 600; ++i) {
        const bool open = i >= 100 && i < 110;  // opened once for ten seconds
        ASSERT_TRUE(store.put(at("door", open, day0 + i * 1000LL, ++seq)));
    }
    store.start();
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 1; }));
    for (int tier : {int(tier_table::minute_tier), int(tier_table::hour_tier)}) {
        const tier_slice s = slice("door", tier, day0, day0 + hour - 1);
        EXPECT_TRUE(s.entries.empty());
        ASSERT_EQ(s.points.size(), 3u) << "tier " << tier;
        EXPECT_EQ(s.points[0], (chunk_point{day0, false}));
        EXPECT_EQ(s.points[1], (chunk_point{day0 + 100000, true}));
        EXPECT_EQ(s.points[2], (chunk_point{day0 + 110000, false}));
    }
}

TEST_F(sqlite_tiers_test, the_current_hour_is_aggregated_on_the_fly_before_compaction) {
    now_ = day0 + 50 * 60 * 1000;
    sqlite_store store(tier_options());
    std::uint64_t seq = 0;
    for (int i = 0; i < 120; ++i) ASSERT_TRUE(store.put(at("t", static_cast<double>(i), day0 + i * 1000LL, ++seq)));
    store.stop();
    EXPECT_EQ(store.stats().tier_compactions, 0u);
    const tier_slice minutes = slice("t", tier_table::minute_tier, day0, day0 + hour);
    ASSERT_EQ(minutes.entries.size(), 2u);
    EXPECT_EQ(minutes.entries[1].count, 60u);
    EXPECT_DOUBLE_EQ(minutes.entries[1].min, 60.0);
}

TEST_F(sqlite_tiers_test, retention_deletes_whole_hours_and_days_per_tier) {
    auto o = tier_options();
    o.tiers.raw_retention_ms = 2 * hour;
    o.tiers.minute_retention_ms = 24 * hour;
    o.tiers.hour_retention_ms = 10 * 24 * hour;
    sqlite_store store(o);
    std::uint64_t seq = 0;
    for (int h = 0; h < 4; ++h) ASSERT_TRUE(store.put(at("t", 1.0 * h, day0 + h * hour, ++seq)));
    now_ = day0 + 5 * hour + 1;  // raw: hours ending more than 2 h ago go (0, 1, 2)
    store.start();
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM tier_raw") == 1; }));
    EXPECT_EQ(count("SELECT hour FROM tier_raw"), day0 + 3 * hour);
    EXPECT_EQ(count("SELECT count(*) FROM tier_agg WHERE tier = 1"), 4);
    now_ = day0 + 26 * hour;  // minutes of hours ending before day0 + 2 h go
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM tier_agg WHERE tier = 1") == 2; }));
    EXPECT_EQ(count("SELECT count(*) FROM tier_agg WHERE tier = 2"), 1);
    now_ = day0 + 11 * 24 * hour + 1;  // the day ended more than 10 days ago
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM tier_agg") == 0; }));
    store.stop();
    EXPECT_EQ(store.stats().tier_oldest_ms[2], -1);
}

TEST_F(sqlite_tiers_test, over_budget_the_oldest_raw_goes_first_then_minutes_and_the_budget_holds) {
    auto o = tier_options();
    o.tiers.budget_bytes = 1 << 20;
    o.history_depth = 1;
    o.max_pending_history = 1 << 20;  // nothing waits to be dropped: the budget alone decides
    now_ = day0 + 30 * hour;
    sqlite_store store(o);
    store.start();
    std::uint64_t seq = 0;
    // 24 hours of 20 sensors at one reading per 2 s with noisy values: ~5 MB raw, far past 1 MiB.
    std::uint64_t noise = 1;
    for (int h = 0; h < 24; ++h) {
        for (int s = 0; s < 20; ++s) {
            for (int i = 0; i < 1800; ++i) {
                noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
                ASSERT_TRUE(store.put(at("s" + std::to_string(s), static_cast<double>(noise >> 40) / 7.0,
                                         day0 + h * hour + i * 2000LL, ++seq)));
            }
        }
    }
    ASSERT_TRUE(eventually([&] {
        const store_stats st = store.stats();
        return st.tier_evictions > 0 && st.tier_compactions >= 24 * 20 && st.db_bytes <= o.tiers.budget_bytes;
    }, 30s));
    store.stop();
    const store_stats st = store.stats();
    EXPECT_EQ(st.tier_dropped, 0u);
    // Raw went first: the minute tier still reaches back further than raw.
    ASSERT_GE(st.tier_oldest_ms[1], 0);
    EXPECT_LT(st.tier_oldest_ms[1], st.tier_oldest_ms[0] < 0 ? INT64_MAX : st.tier_oldest_ms[0]);
    EXPECT_EQ(st.tier_oldest_ms[2], day0) << "the hour tier keeps the whole day";
    auto db = open_raw(path_);
    const std::int64_t pages = std::stoll(query_text(db.get(), "PRAGMA page_count"));
    const std::int64_t free_pages = std::stoll(query_text(db.get(), "PRAGMA freelist_count"));
    const std::int64_t page = std::stoll(query_text(db.get(), "PRAGMA page_size"));
    EXPECT_LE((pages - free_pages) * page, static_cast<std::int64_t>(o.tiers.budget_bytes));
}

// A budget too small for the current hour's raw readings: its oldest rows go, and it holds.
TEST_F(sqlite_tiers_test, a_budget_too_small_for_the_current_hour_evicts_its_oldest_rows) {
    auto o = tier_options();
    o.tiers.budget_bytes = 1 << 20;
    o.history_depth = 1;
    o.max_pending_history = 1 << 20;
    now_ = day0 + 50 * 60 * 1000;
    sqlite_store store(o);
    store.start();
    std::uint64_t seq = 0, noise = 7;
    for (int s = 0; s < 200; ++s) {
        for (int i = 0; i < 2000; ++i) {
            noise = noise * 6364136223846793005ULL + 1442695040888963407ULL;
            ASSERT_TRUE(store.put(at("s" + std::to_string(s), static_cast<double>(noise >> 40) / 7.0, day0 + i * 1000LL, ++seq)));
        }
    }
    ASSERT_TRUE(eventually([&] {
        const store_stats st = store.stats();
        return st.tier_points > 0 && st.tier_evictions > 0 && st.db_bytes <= o.tiers.budget_bytes;
    }, 30s));
    store.stop();
    EXPECT_LE(store.stats().db_bytes, o.tiers.budget_bytes) << "held after the last flush too";
    EXPECT_EQ(store.stats().tier_compactions, 0u) << "the hour is still open";
    EXPECT_LT(count("SELECT sum(point_count) FROM tier_raw"), static_cast<std::int64_t>(seq));
    EXPECT_GT(count("SELECT sum(point_count) FROM tier_raw"), 0) << "the newest stay";
}

TEST_F(sqlite_tiers_test, forgetting_a_sensor_deletes_it_from_every_tier) {
    sqlite_store store(tier_options());
    std::uint64_t seq = 0;
    put_hour(store, "gone", day0, seq);
    put_hour(store, "kept", day0, seq);
    store.start();
    ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 2; }));
    store.forget("gone");
    ASSERT_TRUE(eventually([&] { return count("SELECT count(*) FROM tier_raw WHERE sensor_id = 'gone'") == 0; }));
    EXPECT_EQ(count("SELECT count(*) FROM tier_agg WHERE sensor_id = 'gone'"), 0);
    EXPECT_EQ(count("SELECT count(*) FROM tier_agg WHERE sensor_id = 'kept'"), 2);
}

// Held back, a sensor's points go as one row once it has half its depth of them (or at stop).
TEST_F(sqlite_tiers_test, points_are_written_in_runs_not_a_row_per_commit) {
    now_ = day0 + 30 * 60 * 1000;
    auto o = tier_options();
    o.tier_hold = 60000ms;
    o.history_depth = 64;  // runs of 32
    sqlite_store store(o);
    store.start();
    std::uint64_t seq = 0;
    for (int i = 0; i < 40; ++i) {
        ASSERT_TRUE(store.put(at("t", 1.0 * i, day0 + i * 1000LL, ++seq)));
        ASSERT_TRUE(eventually([&] { return store.stats().history_written == seq; }));  // a commit each
    }
    EXPECT_EQ(count("SELECT count(*) FROM tier_raw"), 1) << "the first 32 together";
    EXPECT_EQ(count("SELECT point_count FROM tier_raw"), 32);
    EXPECT_EQ(count("SELECT seq FROM tier_mark WHERE sensor_id = 't'"), 32);
    store.stop();
    EXPECT_EQ(count("SELECT sum(point_count) FROM tier_raw"), 40);
    EXPECT_EQ(count("SELECT seq FROM tier_mark WHERE sensor_id = 't'"), 40);
}

// A kill leaves the held-back points only in the history rows: the next start writes them.
TEST_F(sqlite_tiers_test, points_held_back_at_a_kill_are_written_after_the_restart) {
    now_ = day0 + 30 * 60 * 1000;
    auto o = tier_options();
    o.tier_hold = 60000ms;
    const std::filesystem::path killed = dir_ / "killed";
    std::filesystem::create_directory(killed);
    {
        sqlite_store store(o);
        store.start();
        for (std::uint64_t seq = 1; seq <= 10; ++seq) ASSERT_TRUE(store.put(at("t", 0.5 * seq, day0 + seq * 1000, seq)));
        ASSERT_TRUE(eventually([&] { return store.stats().history_written == 10; }));
        // What a kill -9 leaves: the committed file, WAL included, taken while the store runs.
        for (const char* suffix : {"", "-wal"}) {
            std::filesystem::copy_file(path_ + suffix, (killed / "bridge.db").string() + suffix);
        }
    }
    path_ = (killed / "bridge.db").string();
    EXPECT_EQ(count("SELECT count(*) FROM tier_raw"), 0) << "held back when it was killed";
    {
        auto again = tier_options();
        again.path = path_;
        sqlite_store store(again);
        std::size_t rows = 0;
        store.load_history([&](reading&) { ++rows; });
        EXPECT_EQ(rows, 10u);
        store.start();
        store.stop();
    }
    const auto points = raw("t", day0, day0 + hour);
    ASSERT_EQ(points.size(), 10u);
    EXPECT_EQ(points[9], (chunk_point{day0 + 10000, 5.0}));
    EXPECT_EQ(count("SELECT seq FROM tier_mark WHERE sensor_id = 't'"), 10);
}

TEST_F(sqlite_tiers_test, a_zero_budget_keeps_no_tiered_history) {
    auto o = tier_options();
    o.tiers.budget_bytes = 0;
    {
        sqlite_store store(o);
        ASSERT_TRUE(store.put(at("t", 1.0, day0, 1)));
    }
    EXPECT_EQ(count("SELECT count(*) FROM tier_raw"), 0);
}

}  // namespace
}  // namespace sb
