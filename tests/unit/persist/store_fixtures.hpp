#pragma once
// Helpers shared by the store tests: readings, a temp database file, a second raw connection.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "persist/sqlite_store.hpp"

namespace sb::store_fixtures {

using namespace std::chrono_literals;

inline reading make_reading(std::string id, reading_value value, std::uint64_t seq, std::string unit = "") {
    reading r;
    r.sensor_id = std::move(id);
    r.value = std::move(value);
    r.unit = std::move(unit);
    r.timestamp = 1795000000000 + static_cast<std::int64_t>(seq);
    r.received_at = r.timestamp + 7;
    r.seq = seq;
    r.topic = "sensors/" + r.sensor_id;
    return r;
}

inline void expect_same(const reading& want, const reading& got) {
    EXPECT_EQ(want.sensor_id, got.sensor_id);
    EXPECT_EQ(want.value, got.value) << want.sensor_id << ": value or its type differs";
    EXPECT_EQ(want.unit, got.unit);
    EXPECT_EQ(want.timestamp, got.timestamp);
    EXPECT_EQ(want.received_at, got.received_at);
    EXPECT_EQ(want.seq, got.seq);
    EXPECT_EQ(want.topic, got.topic);
}

// The store signals nothing observable but its counters: poll them, bounded.
inline bool eventually(const std::function<bool()>& pred, std::chrono::milliseconds limit = 5s) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!pred()) {
        if (std::chrono::steady_clock::now() > deadline) return false;
        std::this_thread::sleep_for(1ms);
    }
    return true;
}

struct raw_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close(db); }
};
using raw_db = std::unique_ptr<sqlite3, raw_closer>;

// A second, independent connection, as another process would see the file.
inline raw_db open_raw(const std::string& path) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return raw_db(db);
}

inline std::string query_text(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    std::string out;
    if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0))
        out = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    sqlite3_finalize(s);
    return out;
}

inline void exec(sqlite3* db, const char* sql) {
    ASSERT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
}

// A fresh directory per test holding bridge.db; removed afterwards.
class store_dir_test : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/sb_store_test.XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
        path_ = (dir_ / "bridge.db").string();
    }
    void TearDown() override { std::filesystem::remove_all(dir_); }

    store_options options() const {
        store_options o;
        o.path = path_;
        return o;
    }

    // A burst of puts spread round-robin over `sensors` ids "burst.<n>" (seq = round + 1),
    // through a started store that is then stopped; its final stats.
    store_stats put_burst(std::size_t sensors, std::size_t puts) const {
        std::vector<std::string> ids;
        for (std::size_t s = 0; s < sensors; ++s) ids.push_back("burst." + std::to_string(s));
        sqlite_store store(options());
        store.start();
        for (std::size_t i = 0; i < puts; ++i) {
            EXPECT_TRUE(store.put(make_reading(ids[i % sensors], static_cast<double>(i), i / sensors + 1)));
        }
        store.stop();
        return store.stats();
    }

    std::filesystem::path dir_;
    std::string path_;
};

}  // namespace sb::store_fixtures
