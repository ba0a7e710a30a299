// Issue 19, finding 7: what a kill -9 and a power cut each lose (docs/OPERATIONS.md,
// Durability), and the WAL bounded after a flood. A power cut is simulated with
// tests/durability/fsync_shadow preloaded into the bridge: it keeps a copy of each database file
// as it was at its last fsync, which is the most a power cut is sure to leave. A kill -9 leaves
// the files themselves (the page cache survives a process).
#include <gtest/gtest.h>

#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/sqlite_file.hpp"

namespace sb_it {
namespace {

namespace fs = std::filesystem;

std::uint64_t size_or_0(const fs::path& p) {
    std::error_code ec;
    const auto n = fs::file_size(p, ec);
    return ec ? 0 : n;
}

class durability : public bridge_test {
protected:
    fs::path shadow() const { return dir_ / "shadow"; }
    std::vector<std::string> bridge_env() const override {
        fs::create_directories(shadow());
        return {std::string("LD_PRELOAD=") + SB_FSYNC_SHADOW_LIB, "SB_SHADOW_WATCH=" + (dir_ / "bridge.db").string(),
                "SB_SHADOW_DIR=" + shadow().string()};
    }

    void kill_bridge() {
        bridge_->process().send_signal(SIGKILL);
        ASSERT_EQ(bridge_->process().wait_exit(3000ms), 128 + SIGKILL);
    }
    // The database as a fault left it, copied (SQLite recovers the copy, not the evidence);
    // no -shm: it is rebuilt from the WAL. Empty when not even the main file survived.
    fs::path view(const fs::path& from, const std::string& name) const {
        const fs::path to = dir_ / name;
        fs::create_directories(to);
        if (!fs::exists(from / "bridge.db")) return {};
        fs::copy_file(from / "bridge.db", to / "bridge.db");
        if (fs::exists(from / "bridge.db-wal")) fs::copy_file(from / "bridge.db-wal", to / "bridge.db-wal");
        return to / "bridge.db";
    }
    static std::string marker(sqlite_file& db) {
        const auto rows = db.rows("SELECT value FROM meta WHERE key = 'clean_shutdown'");
        return rows.empty() ? "" : rows[0][0];
    }
    static bool has(sqlite_file& db, const std::string& id) {
        return !db.rows("SELECT seq FROM latest WHERE sensor_id = '" + id + "'").empty();
    }
    bool committed(const std::string& id) {
        const auto before = stats().uint("/store/commits").value_or(0);
        return wait_for_seq(id, 1) && wait_until([&] { return stats().uint("/store/commits").value_or(0) > before; }, 3000ms);
    }
};

// NORMAL: the marker is synced at start, a commit when the next checkpoint (10 s later) syncs
// the WAL; a power cut before it loses the commit, a kill -9 never does.
TEST_F(durability, normal_a_power_cut_loses_the_commits_since_the_last_checkpoint_a_kill_none) {
    publish("sensors/d1", "1");
    ASSERT_TRUE(committed("d1"));
    std::this_thread::sleep_for(11s);  // the checkpoint 10 s after d1's commit
    publish("sensors/d2", "2");
    ASSERT_TRUE(committed("d2"));
    kill_bridge();

    const fs::path killed = view(dir_.path(), "after-kill");
    sqlite_file k(killed);
    EXPECT_EQ(k.check(), "ok");
    EXPECT_TRUE(has(k, "d1"));
    EXPECT_TRUE(has(k, "d2")) << "a kill -9 lost a commit";
    EXPECT_EQ(marker(k), "0");

    const fs::path cut = view(shadow(), "after-power-cut");
    ASSERT_FALSE(cut.empty()) << "nothing of the database was ever synced";
    sqlite_file p(cut);
    EXPECT_EQ(p.check(), "ok");
    EXPECT_EQ(marker(p), "0") << "the run's unclean marker was not synced: seqs would be reused";
    EXPECT_TRUE(has(p, "d1")) << "the checkpoint did not sync d1's commit";
    EXPECT_FALSE(has(p, "d2")) << "d2 was synced without a checkpoint: is this NORMAL?";
}

class durability_full : public durability {
protected:
    std::vector<std::string> bridge_args() const override { return {"--sync", "full"}; }
};

// FULL: every commit is synced; a power cut loses what a kill -9 does, the uncommitted only.
TEST_F(durability_full, full_a_power_cut_loses_no_commit) {
    publish("sensors/f1", "1");
    ASSERT_TRUE(committed("f1"));
    kill_bridge();
    const fs::path cut = view(shadow(), "after-power-cut");
    ASSERT_FALSE(cut.empty()) << "nothing of the database was ever synced";
    sqlite_file p(cut);
    EXPECT_EQ(p.check(), "ok");
    EXPECT_EQ(marker(p), "0");
    EXPECT_TRUE(has(p, "f1")) << "a commit was not synced";
}

class wal_bound : public bridge_test {
protected:
    // 15 000 sensors: past the default --max-sensors, and over the default --max-memory.
    std::vector<std::string> bridge_args() const override { return {"--max-sensors", "15000", "--max-memory", "1G"}; }
};

// A flood's transactions grow the WAL past 4 MiB; the checkpoint after it cuts it back, and
// /api/stats and /metrics report both files' sizes.
TEST_F(wal_bound, after_a_flood_the_wal_shrinks_back_under_its_limit) {
    constexpr std::uint64_t limit = 4u << 20;
    const fs::path wal = dir_ / "bridge.db-wal";
    {
        mqtt_publisher fast(broker_->port(), "sb-it-flood", 20000);
        const std::string pad(100, 'x');
        for (int round = 0; round < 3; ++round) {
            mqtt::delivery_token_ptr last;
            for (int i = 0; i < 15000; ++i) {
                last = fast.publish_async("sensors/flood-" + std::to_string(i), '"' + pad + std::to_string(round) + '"', 0);
            }
            ASSERT_TRUE(last->wait_for(std::chrono::seconds(20)));
        }
    }
    std::uint64_t peak = 0;
    ASSERT_TRUE(wait_until(
        [&] {
            peak = std::max(peak, size_or_0(wal));
            return stats().uint("/store/written").value_or(0) >= 15000 &&
                   stats().uint("/ingest/accepted").value_or(0) >= 45000;
        },
        30000ms))
        << stats().text();
    std::cout << "wal_bound: the WAL peaked at " << peak << " bytes seen\n";
    ASSERT_TRUE(wait_until(
        [&] {
            peak = std::max(peak, size_or_0(wal));
            return size_or_0(wal) <= limit;
        },
        25000ms, 200ms))
        << "the WAL stayed at " << size_or_0(wal) << " bytes";
    EXPECT_GT(peak, limit) << "the flood never grew the WAL past its limit: the test proves little";
    const json_doc s = stats();
    EXPECT_EQ(s.uint("/store/walBytes"), size_or_0(wal)) << s.text();
    EXPECT_EQ(s.uint("/store/fileBytes"), size_or_0(dir_ / "bridge.db")) << s.text();
    const std::string metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("\nsensor_bridge_store_wal_bytes "), std::string::npos);
    EXPECT_NE(metrics.find("\nsensor_bridge_store_file_bytes "), std::string::npos);
}

}  // namespace
}  // namespace sb_it
