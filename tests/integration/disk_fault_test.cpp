// Faults survived (docs/FAULTS.md): the database cannot be written (disk full, read-only).
// Tests run as root, so chmod cannot make a file read-only, and a small tmpfs or loop device
// needs privileges a container lacks. The bridge's own RLIMIT_FSIZE can be lowered from here
// (prlimit, same user): every write past offset 1 then fails with EFBIG (the bridge ignores
// SIGXFSZ), which SQLite reports as an I/O error on commit, the path a full or read-only disk
// takes too. Live delivery must go on, health must say db "error", and writes must resume
// once the limit is lifted.
#include <gtest/gtest.h>

#include <sys/resource.h>

#include <cerrno>
#include <cstring>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"
#include "support/sqlite_file.hpp"

namespace sb_it {
namespace {

constexpr int sensors = 20;
constexpr int readings = 400;  // 20 per sensor, published while writes fail

class disk_fault : public bridge_test {
protected:
    // The bridge's soft file-size limit; its hard limit stays, so the soft one can go back up.
    void limit_file_size(rlim_t soft) {
        rlimit current{};
        ASSERT_EQ(::prlimit(bridge_->pid(), RLIMIT_FSIZE, nullptr, &current), 0) << std::strerror(errno);
        const rlimit wanted{soft, current.rlim_max};
        ASSERT_EQ(::prlimit(bridge_->pid(), RLIMIT_FSIZE, &wanted, nullptr), 0) << std::strerror(errno);
    }

    std::optional<std::string> db_state() const { return get_json("/api/health").str("/db"); }
};

TEST_F(disk_fault, writes_fail_live_delivery_goes_on_and_writes_resume_when_space_returns) {
    auto c = connect_client();
    subscribe(*c, "sensor:df-*");
    publish("sensors/df-0", "0");
    ASSERT_TRUE(wait_until([&] { return stats().uint("/store/commits").value_or(0) >= 1; }, 5000ms));
    ASSERT_EQ(db_state(), "ok");

    limit_file_size(1);
    std::vector<mqtt::delivery_token_ptr> sent;
    for (int i = 1; i <= readings; ++i) {
        sent.push_back(publisher_->publish_async("sensors/df-" + std::to_string(i % sensors), std::to_string(i), 1));
    }
    for (auto& t : sent) ASSERT_TRUE(t->wait_for(std::chrono::seconds(10)));

    // Live: every reading reaches the subscriber although none can be written.
    std::set<int> live;
    wait_until(
        [&] {
            while (auto f = c->next_frame(0ms)) {
                if (is_frame_type(*f, "sensor.reading")) live.insert(static_cast<int>(json_doc(*f).number("/payload/value").value_or(-1)));
            }
            return live.size() >= static_cast<std::size_t>(readings) + 1;
        },
        10000ms, 20ms);
    EXPECT_EQ(live.size(), static_cast<std::size_t>(readings) + 1) << "live delivery stalled behind the disk";
    ASSERT_TRUE(wait_until([&] { return db_state() == "error"; }, 5000ms)) << get("/api/health").body;
    const http_response h = get("/api/health");
    EXPECT_EQ(h.status, 503);
    EXPECT_EQ(json_doc(h.body).str("/status"), "degraded");
    EXPECT_EQ(json_doc(h.body).str("/mqtt"), "connected");
    const json_doc during = stats();
    EXPECT_GE(during.uint("/store/failed").value_or(0), 1u) << during.text();
    EXPECT_EQ(during.uint("/store/unpersisted"), 0u) << "one pending row per sensor fits: nothing is lost";
    EXPECT_EQ(during.uint("/store/historyDropped"), 0u) << during.text();
    EXPECT_EQ(get_json("/api/sensors/df-1").number("/value"), static_cast<double>(readings - sensors + 1))
        << "REST serves the latest from memory";

    limit_file_size(RLIM_INFINITY);
    ASSERT_TRUE(wait_until([&] { return db_state() == "ok"; }, 10000ms)) << "writes never resumed";
    EXPECT_EQ(get("/api/health").status, 200);
    const std::string log = read_whole_file(bridge_->log_path());
    EXPECT_NE(log.find("warn store writes resumed failed_commits="), std::string::npos) << bridge_->log_tail();

    // What waited in memory reached the file: every sensor's last value and all its history.
    sqlite_file file(dir_ / "bridge.db");
    EXPECT_EQ(file.check("integrity_check"), "ok");
    for (int k = 0; k < sensors; ++k) {
        const std::string id = "df-" + std::to_string(k);
        const int last = readings - sensors + (k == 0 ? sensors : k);
        const auto row = file.rows("SELECT value_num FROM latest WHERE sensor_id = '" + id + "'");
        ASSERT_EQ(row.size(), 1u) << id;
        EXPECT_EQ(std::stod(row[0][0]), static_cast<double>(last)) << id;
        const auto n = file.rows("SELECT count(*) FROM history WHERE sensor_id = '" + id + "'");
        EXPECT_EQ(n[0][0], std::to_string(readings / sensors + (k == 0 ? 1 : 0))) << id;
    }
    RecordProperty("failed_commits", std::to_string(during.uint("/store/failed").value_or(0)));
}

}  // namespace
}  // namespace sb_it
