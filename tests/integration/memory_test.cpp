// Memory bounded by configuration (docs/OPERATIONS.md, "Memory"): filling every sensor's
// --history-depth grows the bridge's resident memory by no more than the documented cost of
// the points (40 bytes each; 48 allowed here) plus SQLite's page caches, which fill with the
// growing database (32 MiB for the writer, 8 MiB for the history reader) and 4 MiB of allocator
// slack.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <string>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

constexpr int sensors = 1000;
constexpr int depth = 256;

std::size_t vm_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    }
    return 0;
}

class memory : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--max-sensors", std::to_string(sensors), "--history-depth", std::to_string(depth), "--stale-min-ms",
                "3600000", "--history-budget", "0"};
    }
};

TEST_F(memory, full_history_of_every_sensor_stays_within_the_documented_cost) {
    mqtt_publisher fast(broker_->port(), "sb-it-memory", sensors + 100);
    // One reading of each so that the sensors (and the store's rows) exist, then the baseline.
    const auto publish_round = [&](int round) {
        mqtt::delivery_token_ptr last;
        for (int s = 0; s < sensors; ++s) {
            last = fast.publish_async("sensors/mem-" + std::to_string(s), std::to_string(round * 1000 + s) + ".25", 0);
        }
        return last->wait_for(std::chrono::seconds(20));
    };
    const auto received = [&] { return get_json("/api/stats").uint("/ingest/accepted").value_or(0); };
    ASSERT_TRUE(publish_round(0));
    ASSERT_TRUE(wait_until([&] { return received() == static_cast<std::uint64_t>(sensors); }, 20000ms, 20ms));
    const std::size_t rss_before = vm_rss_kib(bridge_->pid());

    // The rest, a round at a time, each processed before the next (queues stay small).
    for (int round = 1; round < depth; ++round) {
        ASSERT_TRUE(publish_round(round)) << "the publisher stalled at round " << round;
        ASSERT_TRUE(wait_until([&] { return received() == static_cast<std::uint64_t>(sensors) * (round + 1); },
                               20000ms, 5ms))
            << "round " << round << ": " << get_json("/api/stats").text();
    }
    const std::size_t rss_after = vm_rss_kib(bridge_->pid());

    // Every sensor holds its full history.
    for (int s : {0, sensors / 2, sensors - 1}) {
        const json_doc h = get_json("/api/sensors/mem-" + std::to_string(s) + "/history?limit=1000");
        EXPECT_EQ(h.size(""), static_cast<std::size_t>(depth)) << s;
    }
    const std::size_t allowed_kib = (32 + 8 + 4) * 1024 + static_cast<std::size_t>(sensors) * depth * 48 / 1024;
    const std::size_t grew_kib = rss_after > rss_before ? rss_after - rss_before : 0;
    EXPECT_LE(grew_kib, allowed_kib) << "VmRSS " << rss_before << " -> " << rss_after << " KiB";
    std::cout << "memory: " << sensors << " sensors x " << depth << " points: VmRSS " << rss_before << " -> "
              << rss_after << " KiB (+" << grew_kib << ", " << grew_kib * 1024 / (sensors * depth)
              << " B a point; allowed +" << allowed_kib << ")\n";
}

}  // namespace
}  // namespace sb_it
