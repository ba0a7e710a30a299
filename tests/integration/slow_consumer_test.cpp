// A peer that stops reading must not grow the bridge without bound or hold up others
// (docs/PROTOCOL.md §3 and §5, close 4008): past the low watermark it is conflated (the newest
// reading per sensor), past the high one for longer than the grace it is closed; the others
// keep receiving.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/prometheus_text.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

constexpr std::size_t rss_limit_kib = 200 * 1024;

auto reading_of(const std::string& id) {
    return [id](const std::string& f) { return is_reading_of(f, id); };
}

class slow_consumer : public bridge_test {
protected:
    // Frames here are ~250 bytes: the newest readings of 100 sensors (the paced test) pass the
    // high watermark, those of 51 sensors (the burst) stay well under it.
    std::vector<std::string> bridge_args() const override {
        return {"--max-buffered-bytes", "24576", "--conflate-bytes", "4096", "--slow-grace-ms", "1000"};
    }

    void SetUp() override {
        bridge_test::SetUp();
        if (HasFatalFailure()) return;
        stalled_ = std::make_unique<raw_ws_socket>(port(), 4096);
        ASSERT_EQ(stalled_->handshake(), 101);
        ASSERT_TRUE(stalled_->send_text(subscribe_json("sensor:*", "slow")));
        healthy_ = connect_client();
        subscribe(*healthy_, "sensor:*");
        ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/subscriptions") == 2u; }, 2000ms)) << stats().text();
    }

    // QoS 0 single readings (~250-byte frames) as fast as Paho sends them.
    void flood(std::size_t count) {
        mqtt_publisher fast(broker_->port(), "sb-it-flood", static_cast<int>(count) + 100);
        const std::string unit(100, 'u');
        for (std::size_t i = 0; i < count; ++i) {
            const std::string payload = R"({"value":)" + std::to_string(i) + R"(,"unit":")" + unit + "\"}";
            fast.publish_async("sensors/flood-" + std::to_string(i % 50), payload, 0);
            if (i % 2000 == 0) sample_rss();
        }
        fast.publish("sensors/flood-final", "1");  // QoS 1, after all the others
    }

    void sample_rss() { peak_rss_ = std::max(peak_rss_, vm_rss_kib(bridge_->pid())); }

    // The bridge has decided to close the stalled peer; the peer reads again: it gets what was
    // queued for it, then the 4008 close frame, and the connection goes.
    void expect_stalled_peer_closed(std::size_t published) {
        ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/slowClosed") == 1u; }, 5000ms)) << stats().text();
        const close_result end = stalled_->read_until_close(5000ms);
        EXPECT_TRUE(end.saw_close_frame) << "no close frame on the wire (eof " << end.eof << ", "
                                         << end.data_frames << " data frames read first)";
        EXPECT_EQ(end.code, 4008);
        EXPECT_EQ(end.reason, "slow consumer");
        EXPECT_TRUE(wait_until(
            [&] { return stats().uint("/ws/connections") == (healthy_->is_open() ? 1u : 0u); }, 5000ms))
            << "the stalled connection is still open: " << stats().text();
        EXPECT_EQ(stats().uint("/ws/slowClosed"), 1u) << "only the stalled peer is a slow consumer";
        EXPECT_EQ(scrape(port(), "sensor_bridge_ws_slow_closed_total"), 1.0);
        EXPECT_LT(end.data_frames, published) << "the stalled peer was sent everything: nothing was bounded";
        sample_rss();
        EXPECT_GT(peak_rss_, 0u);
        EXPECT_LT(peak_rss_, rss_limit_kib) << "bridge VmRSS peaked at " << peak_rss_ << " KiB";
        EXPECT_TRUE(bridge_->running());
    }

    // A stalled peer whose sensors' newest readings fit under the high watermark stays open,
    // conflated; once it reads again it gets what is left, ending with the newest reading.
    void expect_stalled_peer_conflated(std::size_t published) {
        sample_rss();
        EXPECT_LT(peak_rss_, rss_limit_kib) << "bridge VmRSS peaked at " << peak_rss_ << " KiB";
        EXPECT_GT(stats().uint("/ws/conflated").value_or(0), 0u) << stats().text();
        std::size_t data_frames = 0;
        bool got_final = false;
        int close_code = 0;
        while (auto f = stalled_->next_frame(5000ms)) {
            if (f->first == 0x8) {
                close_code = f->second.size() >= 2 ? (static_cast<std::uint8_t>(f->second[0]) << 8) |
                                                         static_cast<std::uint8_t>(f->second[1])
                                                   : 0;
                break;
            }
            ++data_frames;
            if (is_reading_of(f->second, "flood-final")) {
                got_final = true;
                break;
            }
        }
        EXPECT_TRUE(got_final || close_code == 4008)
            << "the stalled peer got neither the newest reading nor a 4008 close (close code " << close_code << ")";
        // The two outcomes, told apart by the counter: closed as a slow consumer, or not at all.
        EXPECT_EQ(stats().uint("/ws/slowClosed"), close_code == 4008 ? 1u : 0u) << stats().text();
        EXPECT_LT(data_frames, published) << "the stalled peer was sent everything: nothing was conflated";
        EXPECT_TRUE(bridge_->running());
    }

    std::unique_ptr<raw_ws_socket> stalled_;
    std::unique_ptr<ws_test_client> healthy_;
    std::size_t peak_rss_ = 0;
};

// One multi-metric message (100 readings, ~26 KB of frames) at a time, the next only after
// the healthy client has received the last reading of the previous: it never has much
// outstanding, while the stalled peer piles up past the kernel's socket buffers and the bound.
TEST_F(slow_consumer, stalled_peer_is_closed_while_a_paced_reader_keeps_receiving) {
    constexpr std::size_t metrics = 100;
    constexpr std::size_t max_batches = 400;  // ~10 MB for the stalled peer at most
    const std::string filler(110, 'v');
    std::size_t published = 0;
    for (std::size_t batch = 0; batch < max_batches; ++batch) {
        const std::string tag = "b" + std::to_string(batch) + "-";
        std::string payload = "{";
        for (std::size_t m = 0; m < metrics; ++m) {
            char key[8];
            std::snprintf(key, sizeof key, "m%03zu", m);
            payload += (m ? ",\"" : "\"") + std::string(key) + "\":\"" + tag + filler + "\"";
        }
        payload += "}";
        publish("sensors/flood", payload);
        published += metrics;
        const auto got = healthy_->wait_for(
            [&](const std::string& f) {
                return is_reading_of(f, "flood.m099") &&
                       json_doc(f).str("/payload/value").value_or("").rfind(tag, 0) == 0;
            },
            5000ms);
        ASSERT_TRUE(got) << "healthy client missed batch " << batch << " (open: " << healthy_->is_open()
                         << ", close code " << healthy_->close_code() << ")";
        if (batch % 10 == 9) sample_rss();
        if (stats().uint("/ws/slowClosed").value_or(0) > 0) break;  // the stalled one is being closed
    }
    EXPECT_TRUE(healthy_->is_open()) << "the healthy client was closed, code " << healthy_->close_code();
    expect_stalled_peer_closed(published);
}

// A burst of single readings, as after a broker reconnect or a fleet publishing at once: a
// reader that is merely slower than the burst is conflated for a while, never closed, and ends
// with the newest reading; the stalled peer stays bounded.
TEST_F(slow_consumer, stalled_peer_is_conflated_and_a_reader_survives_a_burst) {
    constexpr std::size_t flood_count = 20000;
    flood(flood_count);

    const auto last = healthy_->wait_for(reading_of("flood-final"), 15000ms);
    EXPECT_TRUE(last) << "the healthy client never got the last reading (" << healthy_->frames_received()
                      << " frames received, close code " << healthy_->close_code() << ")";
    EXPECT_TRUE(healthy_->is_open()) << "the healthy client was closed, code " << healthy_->close_code();
    expect_stalled_peer_conflated(flood_count);
}

}  // namespace
}  // namespace sb_it
