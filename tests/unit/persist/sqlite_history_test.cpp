// The history table: every reading kept (not just the latest), bounded per sensor, written in
// the latest rows' transactions as one row per sensor per commit, read back in order at start-up.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <string>
#include <vector>

#include "persist/sqlite_store.hpp"
#include "store_fixtures.hpp"

namespace sb {
namespace {

using namespace store_fixtures;

class sqlite_history_test : public store_dir_test {
protected:
    std::vector<reading> load_history(store_options o) {
        std::vector<reading> rows;
        sqlite_store(o).load_history([&](reading& r) { rows.push_back(r); });
        return rows;
    }
    std::vector<std::uint64_t> seqs_of(const std::vector<reading>& rows, const std::string& id) {
        std::vector<std::uint64_t> seqs;
        for (const auto& r : rows)
            if (r.sensor_id == id) seqs.push_back(r.seq);
        return seqs;
    }
    std::string count_points() {
        return query_text(open_raw(path_).get(), "SELECT coalesce(sum(point_count), 0) FROM history_chunk");
    }
    std::size_t count_rows() {
        return std::stoul(query_text(open_raw(path_).get(), "SELECT count(*) FROM history_chunk"));
    }
};

TEST_F(sqlite_history_test, every_reading_round_trips_in_sensor_then_seq_order) {
    std::vector<reading> in;
    for (std::uint64_t seq = 1; seq <= 4; ++seq) {
        in.push_back(make_reading("b.temp", 20.0 + static_cast<double>(seq), seq, "°C"));
        in.push_back(make_reading("a.door", seq % 2 == 0, seq));
    }
    in.push_back(make_reading("a.door", std::string("jammed"), 5, "state"));
    {
        sqlite_store store(options());
        store.start();
        for (const auto& r : in) ASSERT_TRUE(store.put(r));
        store.stop();
        EXPECT_EQ(store.stats().history_written, in.size());
        EXPECT_EQ(store.stats().history_dropped, 0u);
    }
    const auto rows = load_history(options());
    ASSERT_EQ(rows.size(), in.size());
    EXPECT_EQ(seqs_of(rows, "a.door"), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    EXPECT_EQ(seqs_of(rows, "b.temp"), (std::vector<std::uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(rows.front().sensor_id, "a.door") << "ordered by sensor id first";
    for (const auto& got : rows) {
        for (reading want : in) {
            if (want.sensor_id != got.sensor_id || want.seq != got.seq) continue;
            want.topic.clear();  // the topic is the latest row's
            expect_same(want, got);
        }
    }
}

TEST_F(sqlite_history_test, retention_keeps_the_newest_depth_rows_per_sensor) {
    auto o = options();
    o.history_depth = 3;
    sqlite_store store(o);
    store.start();
    for (std::uint64_t seq = 1; seq <= 5; ++seq) ASSERT_TRUE(store.put(make_reading("a", 1.0, seq)));
    ASSERT_TRUE(eventually([&] { return store.stats().history_written == 5; }));
    for (std::uint64_t seq = 6; seq <= 10; ++seq) {
        ASSERT_TRUE(store.put(make_reading("a", 1.0, seq)));
        ASSERT_TRUE(store.put(make_reading("b", 1.0, seq)));
    }
    store.stop();
    EXPECT_GE(store.stats().commits, 2u);
    std::vector<reading> rows;
    store.load_history([&](reading& r) { rows.push_back(r); });
    EXPECT_EQ(seqs_of(rows, "a"), (std::vector<std::uint64_t>{8, 9, 10}));
    EXPECT_EQ(seqs_of(rows, "b"), (std::vector<std::uint64_t>{8, 9, 10}));
}

TEST_F(sqlite_history_test, burst_keeps_every_reading_in_few_commits) {
    constexpr std::size_t sensors = 1000, puts = 100000;
    const store_stats st = put_burst(sensors, puts);
    RecordProperty("commits", std::to_string(st.commits));
    EXPECT_EQ(st.history_written, puts);
    EXPECT_EQ(st.history_dropped, 0u);
    // history_batch_max (100 000) points a transaction at most: 1 is the floor.
    EXPECT_LE(st.commits, 40u) << "history rows are not batched";
    EXPECT_EQ(count_points(), std::to_string(puts)) << "100 readings a sensor, under the depth of 512";
    // Rows follow the sensors each commit touched, not the readings.
    EXPECT_LE(count_rows(), sensors * st.commits);
    EXPECT_LT(count_rows(), puts / 10);
}

TEST_F(sqlite_history_test, one_commit_writes_one_row_per_sensor_whatever_the_reading_count) {
    auto o = options();
    {
        sqlite_store store(o);  // writer not started: stop() commits everything at once
        for (std::uint64_t seq = 1; seq <= 300; ++seq) {
            for (const char* id : {"a", "b", "c"}) ASSERT_TRUE(store.put(make_reading(id, static_cast<double>(seq), seq)));
        }
        store.stop();
        EXPECT_EQ(store.stats().commits, 1u);
        EXPECT_EQ(store.stats().history_written, 900u);
    }
    EXPECT_EQ(count_rows(), 3u);
    EXPECT_EQ(count_points(), "900");
    const auto rows = load_history(o);
    ASSERT_EQ(rows.size(), 900u);
    EXPECT_EQ(rows[299].sensor_id, "a");
    EXPECT_EQ(rows[299].seq, 300u);
    EXPECT_EQ(std::get<double>(rows[299].value), 300.0);
}

TEST_F(sqlite_history_test, a_commit_over_the_depth_stores_at_most_twice_the_depth_and_loads_the_depth) {
    auto o = options();
    o.history_depth = 4;
    {
        sqlite_store store(o);
        for (std::uint64_t seq = 1; seq <= 100; ++seq) ASSERT_TRUE(store.put(make_reading("a", 1.0, seq)));
        store.stop();
        EXPECT_EQ(store.stats().history_written + store.stats().history_dropped, 100u);
    }
    EXPECT_LE(std::stoul(count_points()), 8u);
    EXPECT_EQ(seqs_of(load_history(o), "a"), (std::vector<std::uint64_t>{97, 98, 99, 100}));
}

TEST_F(sqlite_history_test, backlog_over_its_bound_is_counted_not_blocking) {
    auto o = options();
    o.max_pending_history = 3;
    {
        sqlite_store store(o);  // writer not started: everything stays pending
        for (std::uint64_t seq = 1; seq <= 5; ++seq) EXPECT_TRUE(store.put(make_reading("a", 1.0, seq)));
        EXPECT_EQ(store.stats().history_dropped, 2u);
    }  // stop() without start() still commits what was accepted
    // The oldest went: a restart's history should end with the newest readings.
    EXPECT_EQ(seqs_of(load_history(o), "a"), (std::vector<std::uint64_t>{3, 4, 5}));
}

TEST_F(sqlite_history_test, a_full_backlog_gives_up_each_sensors_oldest_points_first) {
    auto o = options();
    o.max_pending_history = 20;
    {
        sqlite_store store(o);  // writer not started, as when every commit fails
        for (std::uint64_t seq = 1; seq <= 25; ++seq) EXPECT_TRUE(store.put(make_reading("a", 1.0, seq)));
        EXPECT_EQ(store.stats().history_dropped, 5u);  // one at each put past the 20th
        // A sensor with nothing older waiting loses its new point instead; its latest still waits.
        EXPECT_TRUE(store.put(make_reading("b", 2.0, 1)));
        EXPECT_EQ(store.stats().history_dropped, 6u);
    }
    std::vector<std::uint64_t> want;
    for (std::uint64_t seq = 6; seq <= 25; ++seq) want.push_back(seq);
    EXPECT_EQ(seqs_of(load_history(o), "a"), want);
    EXPECT_TRUE(seqs_of(load_history(o), "b").empty());
    EXPECT_EQ(sqlite_store(o).load_latest().size(), 2u);
}

TEST_F(sqlite_history_test, depth_zero_writes_no_history) {
    auto o = options();
    o.history_depth = 0;
    {
        sqlite_store store(o);
        store.start();
        ASSERT_TRUE(store.put(make_reading("a", 1.0, 1)));
        store.stop();
        EXPECT_EQ(store.stats().history_written, 0u);
        EXPECT_EQ(store.stats().written, 1u);
    }
    EXPECT_TRUE(load_history(o).empty());
}

TEST_F(sqlite_history_test, failed_commit_keeps_history_rows_for_the_retry) {
    auto o = options();
    o.flush_interval = 10ms;
    sqlite_store store(o);
    auto db = open_raw(path_);
    exec(db.get(), "CREATE TRIGGER refuse BEFORE INSERT ON history_chunk BEGIN SELECT RAISE(ABORT, 'refused'); END");
    store.start();
    ASSERT_TRUE(store.put(make_reading("a", 1.0, 1)));
    ASSERT_TRUE(store.put(make_reading("a", 2.0, 2)));
    ASSERT_TRUE(eventually([&] { return store.stats().failed >= 1; }));
    ASSERT_TRUE(store.put(make_reading("a", 3.0, 3)));
    exec(db.get(), "DROP TRIGGER refuse");
    ASSERT_TRUE(eventually([&] { return store.stats().commits >= 1; }));
    store.stop();
    std::vector<reading> rows;
    store.load_history([&](reading& r) { rows.push_back(r); });
    EXPECT_EQ(seqs_of(rows, "a"), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(store.load_latest().at(0).seq, 3u);
}

TEST_F(sqlite_history_test, version_1_file_gains_the_history_table) {
    {
        auto db = open_raw(path_);
        exec(db.get(),
             "CREATE TABLE latest(sensor_id TEXT PRIMARY KEY NOT NULL, value_type INTEGER NOT NULL,"
             " value_num REAL, value_text TEXT, unit TEXT NOT NULL DEFAULT '', timestamp INTEGER NOT NULL,"
             " received_at INTEGER NOT NULL, seq INTEGER NOT NULL, topic TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
             "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
             "INSERT INTO meta VALUES('schema_version', '1');"
             "INSERT INTO latest VALUES('old', 0, 4.5, NULL, 'W', 1, 2, 77, 'sensors/old');"
             "PRAGMA user_version = 1;");
    }
    sqlite_store store(options());
    ASSERT_EQ(store.load_latest().size(), 1u);
    EXPECT_EQ(store.load_latest()[0].seq, 77u);
    EXPECT_EQ(query_text(open_raw(path_).get(), "PRAGMA user_version"), "7");
    store.start();
    ASSERT_TRUE(store.put(make_reading("old", 5.0, 78)));
    store.stop();
    std::vector<reading> rows;
    store.load_history([&](reading& r) { rows.push_back(r); });
    EXPECT_EQ(seqs_of(rows, "old"), (std::vector<std::uint64_t>{78}));
}

TEST_F(sqlite_history_test, version_2_row_history_is_converted_to_chunks) {
    const reading text = make_reading("b", std::string("open"), 3, "state");
    {
        auto db = open_raw(path_);
        exec(db.get(),
             "CREATE TABLE latest(sensor_id TEXT PRIMARY KEY NOT NULL, value_type INTEGER NOT NULL,"
             " value_num REAL, value_text TEXT, unit TEXT NOT NULL DEFAULT '', timestamp INTEGER NOT NULL,"
             " received_at INTEGER NOT NULL, seq INTEGER NOT NULL, topic TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
             "CREATE TABLE meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;"
             "INSERT INTO meta VALUES('schema_version', '2');"
             "CREATE TABLE history(sensor_id TEXT NOT NULL, value_type INTEGER NOT NULL, value_num REAL,"
             " value_text TEXT, unit TEXT NOT NULL DEFAULT '', timestamp INTEGER NOT NULL,"
             " received_at INTEGER NOT NULL, seq INTEGER NOT NULL, PRIMARY KEY(sensor_id, seq)) WITHOUT ROWID;"
             "INSERT INTO latest VALUES('a', 0, 2.5, NULL, 'W', 1795000000002, 1795000000009, 2, 'sensors/a');"
             "INSERT INTO latest VALUES('b', 2, NULL, 'open', 'state', 1795000000003, 1795000000010, 3, 'sensors/b');"
             "INSERT INTO history VALUES('a', 0, 1.5, NULL, 'W', 1795000000001, 1795000000008, 1);"
             "INSERT INTO history VALUES('a', 0, 2.5, NULL, 'W', 1795000000002, 1795000000009, 2);"
             "INSERT INTO history VALUES('b', 1, 1, NULL, '', 1795000000002, 1795000000009, 2);"
             "INSERT INTO history VALUES('b', 2, NULL, 'open', 'state', 1795000000003, 1795000000010, 3);"
             "PRAGMA user_version = 2;");
    }
    const auto rows = load_history(options());
    EXPECT_EQ(query_text(open_raw(path_).get(), "PRAGMA user_version"), "7");
    EXPECT_EQ(query_text(open_raw(path_).get(), "SELECT type FROM sqlite_master WHERE name = 'history'"), "view");
    EXPECT_EQ(count_rows(), 2u) << "one chunk per sensor";
    // The view shows the points as rows again, for the sqlite3 shell.
    EXPECT_EQ(query_text(open_raw(path_).get(), "SELECT group_concat(seq || ':' || value, ' ') FROM"
                                                " (SELECT seq, value FROM history ORDER BY sensor_id, seq)"),
              "1:1.5 2:2.5 2:1 3:open");
    ASSERT_EQ(rows.size(), 4u);
    expect_same(make_reading("a", 1.5, 1, "W"), [&] { reading r = rows[0]; r.topic = "sensors/a"; return r; }());
    EXPECT_EQ(rows[2].value, reading_value(true));
    EXPECT_EQ(rows[2].seq, 2u);
    reading want = text;
    want.topic.clear();
    expect_same(want, rows[3]);
}

// Version 3 kept the chunks clustered by sensor (WITHOUT ROWID): made here from a current file
// by moving its rows back into that layout, then opened again.
TEST_F(sqlite_history_test, version_3_clustered_chunks_are_copied_into_insertion_order) {
    std::vector<reading> in;
    for (std::uint64_t seq = 1; seq <= 3; ++seq) {
        for (const char* id : {"b", "a"}) {
            sqlite_store store(options());  // a commit each: several chunks per sensor
            store.start();
            ASSERT_TRUE(store.put(make_reading(id, static_cast<double>(seq), seq, "W")));
            store.stop();
            in.push_back(make_reading(id, static_cast<double>(seq), seq, "W"));
        }
    }
    const std::size_t chunks = count_rows();
    ASSERT_EQ(chunks, 6u);
    {
        auto db = open_raw(path_);
        exec(db.get(),
             "BEGIN;"
             "DROP VIEW history;"
             "CREATE TABLE v3(sensor_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
             " point_count INTEGER NOT NULL, points TEXT NOT NULL, PRIMARY KEY(sensor_id, first_seq)) WITHOUT ROWID;"
             "INSERT INTO v3 SELECT sensor_id, first_seq, last_seq, point_count, points FROM history_chunk;"
             "DROP TABLE history_chunk;"
             "ALTER TABLE v3 RENAME TO history_chunk;"
             "CREATE VIEW history(sensor_id, seq, timestamp, received_at, value, unit) AS"
             " SELECT c.sensor_id, json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]'),"
             " json_extract(p.value, '$[2]'), json_extract(p.value, '$[3]'), json_extract(p.value, '$[4]')"
             " FROM history_chunk AS c, json_each(c.points) AS p;"
             "UPDATE meta SET value = '3' WHERE key = 'schema_version';"
             "PRAGMA user_version = 3;"
             "COMMIT;");
    }
    const auto rows = load_history(options());
    auto db = open_raw(path_);
    EXPECT_EQ(query_text(db.get(), "PRAGMA user_version"), "7");
    EXPECT_EQ(query_text(db.get(), "SELECT count(*) FROM sqlite_master WHERE sql LIKE '%WITHOUT ROWID%'"
                                   " AND name LIKE 'history%'"),
              "0");
    EXPECT_EQ(query_text(db.get(), "SELECT count(*) FROM sqlite_master WHERE name = 'history_chunk_v3'"), "0");
    EXPECT_EQ(query_text(db.get(), "SELECT type FROM sqlite_master WHERE name = 'history_chunk_sensor'"), "index");
    EXPECT_EQ(count_rows(), chunks);
    EXPECT_EQ(seqs_of(rows, "a"), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(seqs_of(rows, "b"), (std::vector<std::uint64_t>{1, 2, 3}));
    EXPECT_EQ(query_text(db.get(), "SELECT group_concat(sensor_id || seq, ' ') FROM"
                                   " (SELECT sensor_id, seq FROM history ORDER BY sensor_id, seq)"),
              "a1 a2 a3 b1 b2 b3");
    // And it keeps working: a trim past the depth deletes the oldest chunk.
    auto o = options();
    o.history_depth = 2;
    sqlite_store store(o);
    store.start();
    ASSERT_TRUE(store.put(make_reading("a", 4.0, 4, "W")));
    store.stop();
    std::vector<reading> after;
    store.load_history([&](reading& r) { after.push_back(r); });
    EXPECT_EQ(seqs_of(after, "a"), (std::vector<std::uint64_t>{3, 4}));
    EXPECT_EQ(query_text(db.get(), "SELECT group_concat(first_seq, ' ') FROM"
                                   " (SELECT first_seq FROM history_chunk WHERE sensor_id = 'a' ORDER BY first_seq)"),
              "3 4")
        << "the chunks of seqs 1 and 2 are deleted, not only skipped on load";
}

}  // namespace
}  // namespace sb
