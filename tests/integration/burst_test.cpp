// Faults survived (docs/FAULTS.md): a burst of 100 000 readings. Memory stays bounded, and
// nothing is lost without a count: every message the publisher sent is received, and each is
// accepted or rejected by reason; each accepted reading reached the subscriber, or was
// conflated or dropped (counted); the final latest value of every sensor is the last published.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/prometheus_text.hpp"

namespace sb_it {
namespace {

constexpr int total = 100000;
constexpr int sensors = 1000;
constexpr int chunk = 5000;

// Message i: every 100th is invalid JSON on sensors/burst-bad, the others value i for sensor
// burst-(i % 1000). So the last good value of burst-k is 99000 + k (k % 100 != 99).
bool is_bad(int i) { return i % 100 == 99; }

class burst : public bridge_test {
protected:
    // No staleness during the test: the only frames are the readings themselves.
    std::vector<std::string> bridge_args() const override { return {"--stale-min-ms", "3600000"}; }
};

TEST_F(burst, hundred_thousand_readings_are_all_accounted_for) {
    auto c = connect_client();
    subscribe(*c, "sensor:burst-*");
    const std::size_t rss_before = vm_rss_kib(bridge_->pid());
    std::size_t rss_peak = rss_before;

    mqtt_publisher fast(broker_->port(), "sb-it-burst100k", chunk + 100);
    const auto started = steady::now();
    for (int base = 0; base < total; base += chunk) {
        mqtt::delivery_token_ptr last;
        for (int i = base; i < base + chunk; ++i) {
            last = is_bad(i) ? fast.publish_async("sensors/burst-bad", "{\"value\":", 0)
                             : fast.publish_async("sensors/burst-" + std::to_string(i % sensors), std::to_string(i), 0);
        }
        ASSERT_TRUE(last->wait_for(std::chrono::seconds(20))) << "the publisher stalled at " << base;
        rss_peak = std::max(rss_peak, vm_rss_kib(bridge_->pid()));
    }
    const auto published_ms = std::chrono::duration_cast<ms>(steady::now() - started).count();

    ASSERT_TRUE(wait_until(
        [&] {
            rss_peak = std::max(rss_peak, vm_rss_kib(bridge_->pid()));
            return stats().uint("/ingest/received") == static_cast<std::uint64_t>(total);
        },
        60000ms, 50ms))
        << "messages went missing between publisher and bridge: " << stats().text();
    const auto processed_ms = std::chrono::duration_cast<ms>(steady::now() - started).count();

    // Ingest: received = accepted + rejected, and rejected is the sum of its reasons.
    const int bad = total / 100;
    const json_doc st = stats();
    EXPECT_EQ(st.uint("/ingest/accepted"), static_cast<std::uint64_t>(total - bad)) << st.text();
    EXPECT_EQ(st.uint("/ingest/rejected"), static_cast<std::uint64_t>(bad)) << st.text();
    EXPECT_EQ(st.uint("/ingest/rejectedByReason/invalid_json"), static_cast<std::uint64_t>(bad)) << st.text();
    std::uint64_t by_reason = 0;
    for (const auto& reason : st.keys("/ingest/rejectedByReason")) {
        by_reason += st.uint(("/ingest/rejectedByReason/" + reason).c_str()).value_or(0);
    }
    EXPECT_EQ(by_reason, st.uint("/ingest/rejected")) << st.text();

    // Delivery: each accepted reading reached the client, or was conflated or dropped.
    std::size_t frames = 0;
    const auto accounted = [&] {
        while (auto f = c->next_frame(0ms)) frames += is_frame_type(*f, "sensor.reading") ? 1 : 0;
        const json_doc s = stats();
        return frames + s.uint("/ws/conflated").value_or(0) + s.uint("/ws/dropped").value_or(0);
    };
    EXPECT_TRUE(wait_until([&] { return accounted() == static_cast<std::size_t>(total - bad); }, 30000ms, 20ms))
        << frames << " frames received; " << stats().text();
    EXPECT_TRUE(c->is_open()) << "close code " << c->close_code();

    // The burst was read in paced batches (--mqtt-batch-us), and pacing ended with it: a lone
    // reading afterwards still arrives (a socket left waiting for a batch would hold it).
    EXPECT_GT(scrape(port(), "sensor_bridge_mqtt_paced_reads_total").value_or(0), 0.0);
    fast.publish_async("sensors/burst-0", "-1", 0);
    EXPECT_TRUE(wait_until(
        [&] {
            while (auto f = c->next_frame(0ms)) {
                if (f->find("\"value\":-1") != std::string::npos) return true;
            }
            return false;
        },
        10000ms, 5ms))
        << "a reading after the burst did not arrive";

    // Latest: the last value published for every sensor.
    const json_doc all = get_json("/api/sensors?prefix=burst-");
    ASSERT_EQ(all.size(""), static_cast<std::size_t>(sensors - sensors / 100)) << "sensors with a reading";
    int wrong = 0;
    for (std::size_t n = 0; n < all.size(""); ++n) {
        const std::string at = "/" + std::to_string(n);
        const std::string id = all.str((at + "/sensorId").c_str()).value_or("");
        const int k = std::stoi(id.substr(6));
        const double last = k == 0 ? -1.0 : static_cast<double>(total - sensors + k);  // burst-0: the lone one
        if (all.number((at + "/value").c_str()) != last) ++wrong;
    }
    EXPECT_EQ(wrong, 0) << "sensors whose latest is not the last published";

    // Memory: bounded (the ingest queue and history rings are; nothing else grows with a burst).
    rss_peak = std::max(rss_peak, vm_rss_kib(bridge_->pid()));
    EXPECT_LT(rss_peak, rss_before + 128 * 1024) << "VmRSS " << rss_before << " -> " << rss_peak << " KiB";
    std::cout << "burst: published in " << published_ms << " ms, processed in " << processed_ms << " ms; VmRSS "
              << rss_before << " -> " << rss_peak << " KiB; conflated " << stats().uint("/ws/conflated").value_or(0)
              << "\n";
    RecordProperty("rss_before_kib", std::to_string(rss_before));
    RecordProperty("rss_peak_kib", std::to_string(rss_peak));
}

}  // namespace
}  // namespace sb_it
