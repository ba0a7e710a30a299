// Slow and fast clients (issue 5): a client that never reads costs the others no latency and
// the bridge a bounded amount of memory (it is conflated, or closed with 4008); maxRateHz
// limits one subscription, latest wins, and the last value is always delivered.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

struct latency {
    double p50_ms = 0;
    double p90_ms = 0;
    std::size_t received = 0;
};

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    return v[static_cast<std::size_t>(p * static_cast<double>(v.size() - 1))];
}

class slow_client : public bridge_test {
protected:
    static constexpr int sensors = 10;
    static constexpr int measured = 200;

    // No protocol ping during the test: the stalled peer would miss its pong and be dropped
    // (1001), which is not what this test is about.
    std::vector<std::string> bridge_args() const override { return {"--ping-interval", "600"}; }

    void SetUp() override {
        bridge_test::SetUp();
        if (HasFatalFailure()) return;
        healthy_ = connect_client();
        subscribe(*healthy_, "sensor:busy-*");
        fast_ = std::make_unique<mqtt_publisher>(broker_->port(), "sb-it-busy", 20000);
    }

    // `measured` readings at 100 Hz over the busy sensors, values first.., and the healthy
    // client's publish-to-receive latency for them (arrival stamped on its own io thread).
    latency measure(int first) {
        std::vector<steady::time_point> sent(measured);
        auto next = steady::now();
        for (int i = 0; i < measured; ++i) {
            std::this_thread::sleep_until(next);  // pacing the publisher, not synchronisation
            next += 10ms;
            sent[i] = steady::now();
            fast_->publish_async("sensors/busy-" + std::to_string(i % sensors), std::to_string(first + i), 1);
            if (i % 20 == 0) sample_rss();
        }
        std::vector<double> ms_each;
        std::vector<bool> seen(measured, false);
        const auto deadline = steady::now() + 10s;
        while (ms_each.size() < static_cast<std::size_t>(measured) && steady::now() < deadline) {
            const auto f = healthy_->next_frame(std::chrono::duration_cast<ms>(deadline - steady::now()));
            if (!f) break;
            const auto v = json_doc(*f).number("/payload/value");
            if (!v || *v < first || *v >= first + measured || seen[static_cast<int>(*v) - first]) continue;
            const int i = static_cast<int>(*v) - first;
            seen[i] = true;
            ms_each.push_back(std::chrono::duration<double, std::milli>(healthy_->last_arrival() - sent[i]).count());
        }
        if (ms_each.empty()) return {};
        return {percentile(ms_each, 0.5), percentile(ms_each, 0.9), ms_each.size()};
    }

    // QoS 0 readings with ~400-byte frames, as fast as Paho sends them, then a QoS 1 marker
    // the healthy client waits for: it has caught up when it returns.
    void flood(int count, int marker) {
        const std::string filler(120, 'v');
        const std::string unit(120, 'u');
        for (int i = 0; i < count; ++i) {
            fast_->publish_async("sensors/busy-" + std::to_string(i % sensors),
                                 R"({"value":")" + filler + R"(","unit":")" + unit + "\"}", 0);
            if (i % 1000 == 0) sample_rss();
        }
        fast_->publish("sensors/busy-0", std::to_string(marker), 1);
        const auto got = healthy_->wait_for(
            [&](const std::string& f) { return json_doc(f).number("/payload/value") == marker; }, 20000ms);
        ASSERT_TRUE(got) << "the healthy client never caught up with the flood (marker " << marker << ")";
    }

    void sample_rss() { peak_rss_ = std::max(peak_rss_, vm_rss_kib(bridge_->pid())); }

    std::unique_ptr<ws_test_client> healthy_;
    std::unique_ptr<mqtt_publisher> fast_;
    std::size_t peak_rss_ = 0;
};

TEST_F(slow_client, a_client_that_never_reads_does_not_delay_the_others) {
    const latency alone = measure(0);
    ASSERT_GE(alone.received, static_cast<std::size_t>(measured) * 95 / 100) << "baseline lost readings";

    // The slow one: a tiny receive buffer, subscribed to the same sensors, and it never reads.
    raw_ws_socket stalled(port(), 4096);
    ASSERT_EQ(stalled.handshake(), 101);
    ASSERT_TRUE(stalled.send_text(subscribe_json("sensor:busy-*", "slow")));
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/subscriptions") == 2u; }, 2000ms)) << stats().text();

    // Enough for the slow one to pass the low watermark whatever the kernel buffers hold.
    for (int round = 1; round <= 10 && stats().uint("/ws/conflated").value_or(0) == 0; ++round) {
        ASSERT_NO_FATAL_FAILURE(flood(4000, -round));
    }
    ASSERT_GT(stats().uint("/ws/conflated").value_or(0), 0u) << "the slow client never got conflated";
    // A few more rounds warm the bridge's caches and allocator; then ~25 MB more for the slow
    // one, had it all been queued (six times the high watermark), must not grow VmRSS.
    for (int round = 1; round <= 4; ++round) ASSERT_NO_FATAL_FAILURE(flood(4000, -100 - round));
    sample_rss();
    const std::size_t rss_conflating = peak_rss_;
    for (int round = 5; round <= 20; ++round) ASSERT_NO_FATAL_FAILURE(flood(4000, -100 - round));
    ASSERT_EQ(stats().uint("/ws/connections"), 2u) << "the slow client is gone before the measurement";
    const latency with_slow = measure(1000);
    ASSERT_GE(with_slow.received, static_cast<std::size_t>(measured) * 95 / 100) << "readings lost";

    EXPECT_LE(with_slow.p50_ms, alone.p50_ms + 5) << "p50 " << alone.p50_ms << " ms alone";
    EXPECT_LE(with_slow.p90_ms, alone.p90_ms + 20) << "p90 " << alone.p90_ms << " ms alone";
    // Connections only go down here: two after the measurement means the slow client was
    // there all through it. Closed instead, it must have been as a slow consumer, on the wire.
    const json_doc st = stats();
    if (st.uint("/ws/connections") == 2u) {
        EXPECT_EQ(st.uint("/ws/slowClosed"), 0u) << st.text();
    } else {
        EXPECT_EQ(st.uint("/ws/slowClosed"), 1u) << "the slow client went, but not as a slow consumer: " << st.text();
        const close_result end = stalled.read_until_close(10000ms);
        EXPECT_TRUE(end.saw_close_frame) << "closed without a close frame (eof " << end.eof << ")";
        EXPECT_EQ(end.code, 4008);
    }
    sample_rss();
    EXPECT_LT(peak_rss_, rss_conflating + 8 * 1024)
        << "VmRSS grew from " << rss_conflating << " KiB to " << peak_rss_ << " KiB while the slow client lagged";
    EXPECT_TRUE(healthy_->is_open());
    RecordProperty("p50_alone_ms", std::to_string(alone.p50_ms));
    RecordProperty("p50_with_slow_ms", std::to_string(with_slow.p50_ms));
    RecordProperty("p90_alone_ms", std::to_string(alone.p90_ms));
    RecordProperty("p90_with_slow_ms", std::to_string(with_slow.p90_ms));
    std::cout << "latency alone p50 " << alone.p50_ms << " p90 " << alone.p90_ms << " ms; with a slow client p50 "
              << with_slow.p50_ms << " p90 " << with_slow.p90_ms << " ms; VmRSS " << rss_conflating << " -> "
              << peak_rss_ << " KiB\n";
}

class max_rate : public bridge_test {
protected:
    static bool reading_of_rate_1(const std::string& f) { return is_reading_of(f, "rate-1"); }
};

TEST_F(max_rate, one_hertz_of_a_twenty_hertz_sensor_ends_with_the_last_value) {
    auto c = connect_client();
    c->send(R"({"type":"subscribe","id":"wall","payload":{"room":"sensor:rate-1","maxRateHz":1}})");
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_frame_type(f, "subscribed"); }, 2000ms));
    mqtt_publisher pub(broker_->port(), "sb-it-rate");
    auto next = steady::now();
    for (int i = 0; i < 50; ++i) {  // 20 Hz for 2.5 s
        std::this_thread::sleep_until(next);
        next += 50ms;
        pub.publish_async("sensors/rate-1", std::to_string(i), 1);
    }
    std::deque<std::string> before;
    const auto last = c->wait_for(
        [](const std::string& f) { return reading_of_rate_1(f) && json_doc(f).number("/payload/value") == 49; },
        3000ms, before);
    ASSERT_TRUE(last) << "the last value never came";
    std::vector<double> values;
    for (const auto& f : before) {
        if (reading_of_rate_1(f)) values.push_back(json_doc(f).number("/payload/value").value_or(-1));
    }
    values.push_back(49);
    EXPECT_GE(values.size(), 2u);
    EXPECT_LE(values.size(), 4u) << "more than one reading a second";
    EXPECT_TRUE(std::is_sorted(values.begin(), values.end()));
    // Bounded wait for what must not come, after the positive control above.
    EXPECT_FALSE(c->wait_for(reading_of_rate_1, 1200ms)) << "a reading after the last value";
}

TEST_F(max_rate, a_bad_rate_is_refused_and_the_connection_stays_usable) {
    auto c = connect_client();
    c->send(R"({"type":"subscribe","id":"bad","payload":{"room":"sensor:rate-2","maxRateHz":0}})");
    const auto err = c->next_frame(2000ms);
    ASSERT_TRUE(err);
    const json_doc d(*err);
    EXPECT_EQ(d.str("/type"), "error") << *err;
    EXPECT_EQ(d.str("/id"), "bad");
    EXPECT_EQ(d.str("/payload/code"), "BAD_JSON");
    EXPECT_NE(d.str("/payload/message").value_or("").find("maxRateHz"), std::string::npos) << *err;
    subscribe(*c, "sensor:rate-2");
    publish("sensors/rate-2", "1");
    EXPECT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "rate-2"); }, 3000ms));
}

}  // namespace
}  // namespace sb_it
