// Memory bounded by configuration (docs/OPERATIONS.md, "Memory"): filling every sensor's
// --history-depth grows the bridge's resident memory by no more than the documented cost of
// the points (40 bytes each; 48 allowed here) plus SQLite's page caches, which fill with the
// growing database (32 MiB for the writer, 8 MiB for the history reader) and 4 MiB of allocator
// slack.
#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

constexpr int sensors = 1000;
constexpr int depth = 256;
constexpr std::size_t send_budget_floor = 16 * 1024;  // hub/outbox.hpp

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

// Many clients that stopped reading, each allowed 2 MiB (--max-buffered-bytes) and never closed
// for it (a long grace): without a bound for all of them together they would hold ~1.5 MiB each.
// With --max-queued-bytes 1 MiB, what they owe past 16 KiB each stays under twice that (the
// furthest behind conflated, then closed), and so does the bridge's resident memory.
class stalled_clients : public bridge_test {
protected:
    static constexpr int clients = 80;
    static constexpr std::size_t budget = 1024 * 1024;
    std::vector<std::string> bridge_args() const override {
        return {"--max-buffered-bytes", "2097152", "--conflate-bytes", "1048576", "--slow-grace-ms", "600000",
                "--max-queued-bytes", std::to_string(budget), "--history-depth", "1", "--history-budget", "0",
                "--stale-min-ms", "3600000"};
    }
};

TEST_F(stalled_clients, what_they_owe_together_stays_under_the_budget) {
    std::vector<std::unique_ptr<raw_ws_socket>> stalled;
    for (int i = 0; i < clients; ++i) {
        stalled.push_back(std::make_unique<raw_ws_socket>(port(), 4096));
        ASSERT_EQ(stalled.back()->handshake(), 101) << i;
        ASSERT_TRUE(stalled.back()->send_text(subscribe_json("sensor:*", "s")));
    }
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/subscriptions") == static_cast<std::uint64_t>(clients); }, 5000ms))
        << stats().text();
    const std::size_t rss_before = vm_rss_kib(bridge_->pid());

    // 10 000 readings of 2 000 sensors, ~250-byte frames: 2.5 MB for every client.
    constexpr int readings = 10000;
    std::size_t rss_peak = rss_before, owed_peak = 0;
    const auto sample = [&] {
        rss_peak = std::max(rss_peak, vm_rss_kib(bridge_->pid()));
        owed_peak = std::max<std::size_t>(owed_peak, stats().uint("/ws/queuedBytes").value_or(0));
    };
    {
        mqtt_publisher fast(broker_->port(), "sb-it-stalled", readings + 100);
        const std::string unit(100, 'u');
        for (int i = 0; i < readings; ++i) {
            const std::string payload = R"({"value":)" + std::to_string(i) + R"(,"unit":")" + unit + "\"}";
            fast.publish_async("sensors/stall-" + std::to_string(i % 2000), payload, 0);
            if (i % 1000 == 0) sample();
        }
        fast.publish("sensors/stall-final", "1");
    }
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/accepted") == static_cast<std::uint64_t>(readings + 1); },
                           30000ms, 20ms))
        << stats().text();
    for (int i = 0; i < 20; ++i) {
        sample();
        std::this_thread::sleep_for(50ms);  // sampling a settled state, not waiting for one
    }

    const json_doc st = stats();
    EXPECT_LE(owed_peak, 2 * budget + 64 * 1024) << st.text();
    EXPECT_GT(st.uint("/ws/conflated").value_or(0) + st.uint("/ws/slowClosed").value_or(0), 0u)
        << "the furthest behind were conflated or closed: " << st.text();
    const std::size_t allowed_kib = (2 * budget + clients * send_budget_floor) / 1024 + 24 * 1024;
    EXPECT_LE(rss_peak - rss_before, allowed_kib) << "VmRSS " << rss_before << " -> " << rss_peak << " KiB";
    std::cout << "stalled: " << clients << " clients, VmRSS " << rss_before << " -> " << rss_peak << " KiB (+"
              << rss_peak - rss_before << ", allowed +" << allowed_kib << "); queuedBytes peak " << owed_peak
              << "; conflated " << st.uint("/ws/conflated").value_or(0) << ", slow-closed "
              << st.uint("/ws/slowClosed").value_or(0) << "\n";
}

}  // namespace
}  // namespace sb_it
