// Faults survived (docs/FAULTS.md): SIGKILL in the middle of a burst leaves a consistent
// database, and a database corrupted while the bridge was stopped is detected at start, moved
// aside, and replaced by a fresh cache while health says so.
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/sqlite_file.hpp"

namespace sb_it {
namespace {

constexpr int sensors = 50;

class crash_recovery : public bridge_test {
protected:
    std::filesystem::path db() const { return dir_ / "bridge.db"; }

    // The restarted bridge, without waiting for health 200 (a recovered db reports 503).
    void restart_bridge(const std::string& name) {
        previous_bridge_ = std::move(bridge_);
        bridge_ = std::make_unique<bridge_process>(dir_.path(), config(), name);
        ASSERT_TRUE(wait_until([&] { return get_json("/api/health").str("/mqtt") == "connected"; }, 10000ms))
            << get("/api/health").body;
    }
};

// Readings i = 0, 1, 2, ... go to sensor crash-(i % sensors), paced, until the bridge has
// committed a few times; then SIGKILL while the publisher is still going.
TEST_F(crash_recovery, sigkill_mid_burst_leaves_a_consistent_database) {
    std::atomic<bool> stop{false};
    std::atomic<int> published{0};
    std::thread burst([&] {
        mqtt_publisher fast(broker_->port(), "sb-it-burst", 100000);
        auto next = steady::now();
        for (int i = 0; !stop && i < 200000; ++i) {
            if (i % 200 == 0) std::this_thread::sleep_until(next += 10ms);  // ~20 000 a second
            fast.publish_async("sensors/crash-" + std::to_string(i % sensors), std::to_string(i), 0);
            published = i + 1;
        }
    });
    const bool committed = wait_until([&] { return stats().uint("/store/commits").value_or(0) >= 5; }, 15000ms);
    bridge_->process().send_signal(SIGKILL);
    const auto killed = bridge_->process().wait_exit(3000ms);
    const int published_at_kill = published;
    stop = true;
    burst.join();
    ASSERT_TRUE(committed) << "no commits during the burst: " << stats().text();
    ASSERT_EQ(killed, 128 + SIGKILL);

    std::map<std::string, std::pair<double, std::uint64_t>> latest;  // id -> (value, seq)
    {
        sqlite_file file(db());
        EXPECT_EQ(file.check("integrity_check"), "ok");
        for (const auto& row : file.rows("SELECT sensor_id, value_num, seq FROM latest")) {
            latest[row[0]] = {std::stod(row[1]), std::stoull(row[2])};
        }
        ASSERT_FALSE(latest.empty()) << "nothing was committed before the kill";
        // Latest and history are written in the same transactions: they agree after a crash.
        for (const auto& [id, v] : latest) {
            const auto newest = file.rows("SELECT value, seq FROM history WHERE sensor_id = '" + id +
                                          "' ORDER BY seq DESC LIMIT 1");
            ASSERT_EQ(newest.size(), 1u) << id;
            EXPECT_EQ(std::stod(newest[0][0]), v.first) << id;
            EXPECT_EQ(std::stoull(newest[0][1]), v.second) << id;
            const int value = static_cast<int>(v.first);
            EXPECT_EQ(value % sensors, std::stoi(id.substr(6))) << id << " holds another sensor's reading";
            EXPECT_LT(value, published_at_kill) << id;
        }
        // History rows of one sensor: values grow with seq (nothing reordered or half-written).
        const auto rows = file.rows("SELECT sensor_id, value FROM history ORDER BY sensor_id, seq");
        for (std::size_t i = 1; i < rows.size(); ++i) {
            if (rows[i][0] == rows[i - 1][0]) {
                EXPECT_GT(std::stod(rows[i][1]), std::stod(rows[i - 1][1])) << rows[i][0];
            }
        }
    }

    restart_bridge("bridge-after-kill");
    const http_response h = get("/api/health");
    EXPECT_EQ(h.status, 200) << h.body;
    EXPECT_EQ(json_doc(h.body).str("/db"), "ok") << h.body;
    for (const auto& [id, v] : latest) {
        const json_doc r = get_json("/api/sensors/" + id);
        EXPECT_EQ(r.number("/value"), v.first) << id << ": the restarted bridge lost a committed reading";
    }
    publish("sensors/crash-0", "-1");
    ASSERT_TRUE(wait_until([&] { return get_json("/api/sensors/crash-0").number("/value") == -1.0; }, 5000ms));
    EXPECT_NE(bridge_->log_tail().find("did not stop cleanly"), std::string::npos) << bridge_->log_tail();
    RecordProperty("published_before_kill", std::to_string(published_at_kill));
    RecordProperty("sensors_committed", std::to_string(latest.size()));
}

struct corruption {
    const char* name;
    bool header;  // the 100-byte header, else three pages in the middle
};

class corrupt_db : public crash_recovery, public ::testing::WithParamInterface<corruption> {
protected:
    // Overwrites the file header, or three whole pages in the middle of the file.
    void corrupt(const corruption& c) {
        std::fstream f(db(), std::ios::in | std::ios::out | std::ios::binary);
        ASSERT_TRUE(f);
        if (c.header) {
            const std::string junk(100, 'J');
            f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
            return;
        }
        constexpr std::uintmax_t page = 4096;
        const std::uintmax_t size = std::filesystem::file_size(db());
        ASSERT_GT(size, 16 * page) << "too small a file to corrupt its middle";
        f.seekp(static_cast<std::streamoff>(size / 2 / page * page));
        const std::string junk(3 * page, '\x5a');
        f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
    }
};

TEST_P(corrupt_db, is_moved_aside_at_start_and_a_fresh_cache_is_built) {
    // Enough rows for many pages: 400 sensors with long units.
    const std::string unit(80, 'u');
    for (int i = 0; i < 400; ++i) {
        publisher_->publish_async("sensors/c-" + std::to_string(i), R"({"value":1,"unit":")" + unit + "\"}", 1);
    }
    publish("sensors/c-last", "1");
    ASSERT_TRUE(wait_for_seq("c-last", 1));
    ASSERT_TRUE(wait_until([&] { return stats().uint("/store/sensors") == 401u; }, 5000ms)) << stats().text();
    const std::string instance = get_json("/api/health").str("/instance").value_or("");
    ASSERT_EQ(instance.size(), 32u) << "no instance in /api/health";
    ASSERT_EQ(bridge_->terminate(3000ms), 0);
    corrupt(GetParam());
    {
        sqlite_file file(db());
        ASSERT_NE(file.check("quick_check"), "ok") << "the corruption went unnoticed by SQLite itself";
    }

    restart_bridge("bridge-after-corruption");
    const http_response h = get("/api/health");
    EXPECT_EQ(h.status, 503) << h.body;
    EXPECT_EQ(json_doc(h.body).str("/status"), "degraded") << h.body;
    EXPECT_EQ(json_doc(h.body).str("/db"), "recovered") << h.body;
    const std::string fresh_instance = json_doc(h.body).str("/instance").value_or("");
    EXPECT_EQ(fresh_instance.size(), 32u) << h.body;
    EXPECT_NE(fresh_instance, instance) << "the fresh file must be a new instance";
    EXPECT_NE(get("/metrics").body.find("\nsensor_bridge_db_recovered 1\n"), std::string::npos);
    const std::string log = bridge_->log_tail(20);
    EXPECT_NE(log.find("error store DATABASE CORRUPT"), std::string::npos) << log;
    EXPECT_NE(log.find("moved_to=" + db().string() + ".corrupt-"), std::string::npos) << log;
    std::vector<std::filesystem::path> aside;
    for (const auto& e : std::filesystem::directory_iterator(dir_.path())) {
        const std::string name = e.path().filename().string();
        const bool companion = name.size() > 4 && (name.compare(name.size() - 4, 4, "-wal") == 0 ||
                                                   name.compare(name.size() - 4, 4, "-shm") == 0);
        if (name.rfind("bridge.db.corrupt-", 0) == 0 && !companion) aside.push_back(e.path());
    }
    ASSERT_EQ(aside.size(), 1u) << "the corrupt file must be kept, once";
    EXPECT_EQ(get_json("/api/sensors").size(""), 0u) << "a fresh cache starts empty";

    // Refilled: the first commit into the new file ends the degraded state.
    publish("sensors/c-7", "7");
    ASSERT_TRUE(wait_until([&] { return get("/api/health").status == 200; }, 5000ms)) << get("/api/health").body;
    EXPECT_EQ(get_json("/api/health").str("/db"), "ok");
    EXPECT_EQ(get_json("/api/sensors/c-7").number("/value"), 7.0);
    sqlite_file fresh(db());
    EXPECT_EQ(fresh.check("integrity_check"), "ok");
}

INSTANTIATE_TEST_SUITE_P(faults, corrupt_db,
                         ::testing::Values(corruption{"header_overwritten", true},
                                           corruption{"middle_pages_overwritten", false}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace sb_it
