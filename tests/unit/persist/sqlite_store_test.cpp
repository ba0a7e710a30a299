#include "persist/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#include "store_fixtures.hpp"

namespace sb {
namespace {

using namespace std::chrono_literals;

using namespace store_fixtures;

class sqlite_store_test : public store_dir_test {
protected:
    std::vector<reading> reload() { return sqlite_store(options()).load_latest(); }
};

TEST_F(sqlite_store_test, round_trip_keeps_types_units_seq_and_orders_by_id) {
    const std::vector<reading> in = {
        make_reading("temp-1", 21.5, 42, "°C"),
        make_reading("door.front", true, 7),
        make_reading("door.back", false, 8),
        make_reading("mode", std::string("open"), 3, "state"),
        make_reading("empty-text", std::string(), 1),
        make_reading("whole", 2.0, std::numeric_limits<std::uint64_t>::max() - 1, "W"),
        make_reading("neg", -0.125, 1ull << 63),
    };
    {
        sqlite_store store(options());
        EXPECT_TRUE(store.load_latest().empty());
        store.start();
        for (const auto& r : in) ASSERT_TRUE(store.put(r));
        store.stop();
        EXPECT_EQ(store.stats().sensors, in.size());
        EXPECT_EQ(store.stats().written, in.size());
        EXPECT_TRUE(store.healthy());
    }
    const auto out = reload();
    const std::vector<std::string> order = {"door.back", "door.front", "empty-text", "mode",
                                            "neg",       "temp-1",     "whole"};
    ASSERT_EQ(out.size(), order.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        EXPECT_EQ(out[i].sensor_id, order[i]);
        for (const auto& r : in)
            if (r.sensor_id == out[i].sensor_id) expect_same(r, out[i]);
    }
}

TEST_F(sqlite_store_test, latest_wins_for_one_sensor) {
    {
        sqlite_store store(options());
        store.start();
        for (std::uint64_t i = 1; i <= 500; ++i)
            ASSERT_TRUE(store.put(make_reading("temp-1", static_cast<double>(i), i)));
        store.stop();
        EXPECT_EQ(store.stats().sensors, 1u);
    }
    const auto out = reload();
    ASSERT_EQ(out.size(), 1u);
    expect_same(make_reading("temp-1", 500.0, 500), out[0]);
}

TEST_F(sqlite_store_test, burst_is_batched_into_few_commits) {
    constexpr std::size_t sensors = 1000, puts = 100000;
    const store_stats st = put_burst(sensors, puts);
    RecordProperty("commits", std::to_string(st.commits));
    EXPECT_EQ(st.sensors, sensors);
    EXPECT_GE(st.commits, 1u);
    EXPECT_LT(st.commits, 1000u);
    EXPECT_LE(st.written, puts);
    EXPECT_EQ(st.failed, 0u);
    const auto out = reload();
    ASSERT_EQ(out.size(), sensors);
    for (const auto& r : out) {
        const std::size_t s = std::stoul(r.sensor_id.substr(6));
        EXPECT_EQ(std::get<double>(r.value), static_cast<double>(puts - sensors + s)) << r.sensor_id;
        EXPECT_EQ(r.seq, puts / sensors);
    }
}

TEST_F(sqlite_store_test, remembers_whether_the_previous_run_stopped_cleanly) {
    {
        sqlite_store fresh(options());
        EXPECT_TRUE(fresh.previous_shutdown_clean()) << "a new file has nothing handed out";
        // A second connection while the first still runs sees the run in progress: what a
        // restart after a crash or SIGKILL sees.
        sqlite_store during(options());
        EXPECT_FALSE(during.previous_shutdown_clean());
    }  // both stop cleanly
    sqlite_store after(options());
    EXPECT_TRUE(after.previous_shutdown_clean());
}

TEST_F(sqlite_store_test, stop_flushes_without_waiting_for_the_interval) {
    auto o = options();
    o.flush_interval = 10s;
    {
        sqlite_store store(o);
        store.start();
        ASSERT_TRUE(store.put(make_reading("temp-1", 1.5, 1)));
        const auto t0 = std::chrono::steady_clock::now();
        store.stop();
        EXPECT_LT(std::chrono::steady_clock::now() - t0, 2s);
        EXPECT_EQ(store.stats().commits, 1u);
        store.stop();  // idempotent
        EXPECT_FALSE(store.put(make_reading("temp-2", 2.5, 1))) << "nothing writes after stop";
    }
    const auto out = reload();
    ASSERT_EQ(out.size(), 1u);
    expect_same(make_reading("temp-1", 1.5, 1), out[0]);
}

TEST_F(sqlite_store_test, wal_mode_and_schema_version_seen_from_another_connection) {
    sqlite_store store(options());
    auto db = open_raw(path_);
    EXPECT_EQ(query_text(db.get(), "PRAGMA journal_mode"), "wal");
    EXPECT_EQ(query_text(db.get(), "PRAGMA user_version"), "7");
    EXPECT_EQ(query_text(db.get(), "SELECT value FROM meta WHERE key = 'schema_version'"), "7");
}

TEST_F(sqlite_store_test, no_read_transaction_blocks_a_full_checkpoint) {
    sqlite_store store(options());
    store.start();
    ASSERT_TRUE(store.put(make_reading("temp-1", 1.0, 1)));
    ASSERT_TRUE(eventually([&] { return store.stats().commits >= 1; }));
    EXPECT_EQ(store.load_latest().size(), 1u);
    auto db = open_raw(path_);
    // First column is 1 when a reader kept the checkpoint from completing.
    EXPECT_EQ(query_text(db.get(), "PRAGMA wal_checkpoint(TRUNCATE)"), "0");
}

TEST_F(sqlite_store_test, put_refuses_new_sensors_over_max_pending) {
    auto o = options();
    o.max_pending = 3;
    {
        sqlite_store store(o);  // writer not started: everything stays pending
        EXPECT_TRUE(store.put(make_reading("a", 1.0, 1)));
        EXPECT_TRUE(store.put(make_reading("b", 1.0, 1)));
        EXPECT_TRUE(store.put(make_reading("c", 1.0, 1)));
        EXPECT_FALSE(store.put(make_reading("d", 1.0, 1)));
        EXPECT_TRUE(store.put(make_reading("a", 2.0, 2))) << "a waiting sensor is replaced";
        EXPECT_EQ(store.stats().written, 0u);
    }  // stop() without start() still commits what was accepted
    const auto out = reload();
    ASSERT_EQ(out.size(), 3u);
    expect_same(make_reading("a", 2.0, 2), out[0]);
}

TEST_F(sqlite_store_test, sensors_count_survives_reopen_and_ignores_updates) {
    {
        sqlite_store store(options());
        store.start();
        for (const char* id : {"x", "y"}) ASSERT_TRUE(store.put(make_reading(id, 1.0, 1)));
    }
    sqlite_store store(options());
    EXPECT_EQ(store.stats().sensors, 2u);
    store.start();
    ASSERT_TRUE(store.put(make_reading("x", 2.0, 2)));
    ASSERT_TRUE(store.put(make_reading("z", 2.0, 1)));
    store.stop();
    EXPECT_EQ(store.stats().sensors, 3u);
    EXPECT_EQ(store.stats().written, 2u);
}

TEST_F(sqlite_store_test, failed_commit_marks_unhealthy_and_keeps_rows_for_retry) {
    auto o = options();
    o.flush_interval = 10ms;
    sqlite_store store(o);
    auto db = open_raw(path_);
    exec(db.get(), "CREATE TRIGGER refuse BEFORE INSERT ON latest BEGIN SELECT RAISE(ABORT, 'refused'); END");
    store.start();
    ASSERT_TRUE(store.put(make_reading("temp-1", 1.0, 1)));
    ASSERT_TRUE(eventually([&] { return store.stats().failed >= 1; }));
    EXPECT_FALSE(store.healthy());
    EXPECT_EQ(store.stats().commits, 0u);
    ASSERT_TRUE(store.put(make_reading("temp-1", 2.0, 2)));  // newer than the row being retried
    exec(db.get(), "DROP TRIGGER refuse");
    ASSERT_TRUE(eventually([&] { return store.stats().commits >= 1; }));
    EXPECT_TRUE(store.healthy());
    store.stop();
    EXPECT_EQ(store.stats().sensors, 1u);
    const auto out = store.load_latest();
    ASSERT_EQ(out.size(), 1u);
    expect_same(make_reading("temp-1", 2.0, 2), out[0]);
}

// A corrupt file must not keep the bridge from starting: it is kept, renamed, and a fresh
// database takes its place; recovering() holds until the first commit into it.
TEST_F(sqlite_store_test, file_that_is_not_a_database_is_moved_aside_and_replaced) {
    const std::string garbage(4096, 'x');
    std::ofstream(path_) << garbage;
    std::ofstream(path_ + "-wal") << "stale wal";
    sqlite_store store(options());
    EXPECT_TRUE(store.recovering());
    const std::string aside = store.moved_aside();
    ASSERT_EQ(aside.rfind(path_ + ".corrupt-", 0), 0u) << aside;
    std::ifstream kept(aside);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(kept), {}), garbage) << "the corrupt file was not kept as is";
    EXPECT_TRUE(std::filesystem::exists(aside + "-wal")) << "its -wal must go with it";
    EXPECT_TRUE(store.load_latest().empty());
    store.start();
    ASSERT_TRUE(store.put(make_reading("temp-1", 1.0, 1)));
    ASSERT_TRUE(eventually([&] { return store.stats().commits >= 1; }));
    EXPECT_FALSE(store.recovering());
    EXPECT_TRUE(store.healthy());
    store.stop();
    ASSERT_EQ(reload().size(), 1u);
}

TEST_F(sqlite_store_test, corrupt_pages_fail_quick_check_and_are_moved_aside) {
    {
        sqlite_store store(options());
        store.start();
        for (std::uint64_t i = 1; i <= 2000; ++i) store.put(make_reading("s" + std::to_string(i), 1.0, i, std::string(60, 'u')));
        store.stop();
    }
    const auto size = std::filesystem::file_size(path_);
    ASSERT_GT(size, 16u * 4096u);
    {
        std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
        f.seekp(static_cast<std::streamoff>(size / 2 / 4096 * 4096));
        const std::string junk(3 * 4096, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
    sqlite_store store(options());
    EXPECT_TRUE(store.recovering());
    EXPECT_FALSE(store.moved_aside().empty());
    EXPECT_TRUE(store.load_latest().empty());
}

TEST_F(sqlite_store_test, sound_file_is_not_moved) {
    sqlite_store(options()).stop();
    sqlite_store store(options());
    EXPECT_FALSE(store.recovering());
    EXPECT_TRUE(store.moved_aside().empty());
}

TEST_F(sqlite_store_test, path_in_missing_directory_throws_store_error) {
    auto o = options();
    o.path = (dir_ / "missing" / "dir" / "bridge.db").string();
    try {
        sqlite_store store(o);
        FAIL() << "expected store_error";
    } catch (const store_error& e) {
        EXPECT_NE(std::string(e.what()).find(o.path), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Schema 5: a retained reading and its payload's hash come back after a restart, so a
// retained copy the broker hands over again is still recognised (ingest_pipeline).
TEST_F(sqlite_store_test, retained_flag_and_payload_hash_survive_a_restart) {
    reading r = make_reading("ret-1", 5.0, 1);
    r.retained = true;
    r.payload_hash = 0xfedcba9876543210ULL;  // above INT64_MAX: stored as its bit pattern
    {
        sqlite_store store(options());
        store.start();
        ASSERT_TRUE(store.put(r));
        ASSERT_TRUE(store.put(make_reading("live-1", 1.0, 1)));
        store.stop();
    }
    const auto out = reload();
    ASSERT_EQ(out.size(), 2u);
    EXPECT_FALSE(out[0].retained);
    EXPECT_EQ(out[0].payload_hash, 0u);
    EXPECT_TRUE(out[1].retained);
    EXPECT_EQ(out[1].payload_hash, 0xfedcba9876543210ULL);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST_F(sqlite_store_test, a_forgotten_sensor_is_gone_from_the_file_and_may_come_back) {
    {
        sqlite_store store(options());
        store.start();
        ASSERT_TRUE(store.put(make_reading("gone-1", 1.0, 1)));
        ASSERT_TRUE(store.put(make_reading("kept-1", 2.0, 1)));
        store.stop();
    }
    {
        sqlite_store store(options());
        EXPECT_EQ(store.stats().sensors, 2u);
        store.start();
        store.forget("gone-1");
        ASSERT_TRUE(store.put(make_reading("kept-1", 3.0, 2)));
        store.stop();
        EXPECT_EQ(store.stats().sensors, 1u);
    }
    auto out = reload();
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].sensor_id, "kept-1");
    std::size_t history_rows = 0;
    sqlite_store(options()).load_history([&](reading& r) { history_rows += r.sensor_id == "gone-1"; });
    EXPECT_EQ(history_rows, 0u) << "its history goes too";
}

}  // namespace
}  // namespace sb
