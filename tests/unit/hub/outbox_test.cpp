#include "hub/outbox.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "delivery_fakes.hpp"

namespace sb {
namespace {

using namespace std::chrono_literals;
using testing::fake_link;
using testing::manual_clock;
using testing::sized_frame;
using testing::tags;
using strings = std::vector<std::string>;

// Low watermark 1000 bytes, high 4000, grace 100 ms; frames of 100 bytes.
class outbox_fixture : public ::testing::Test {
protected:
    void push(const std::string& sensor, const std::string& tag, std::size_t size = 100,
              message_kind kind = message_kind::reading) {
        box.push(sensor, kind, sized_frame(tag, size));
    }
    // Fills the transport up to the low watermark: later frames are conflated.
    void fill_to_low() {
        for (int i = 0; i < 10; ++i) push("fill", "f" + std::to_string(i));
        ASSERT_EQ(link.buffered(), 1000u);
        ASSERT_FALSE(box.conflating());
        link.sent.clear();
    }

    fake_link link;
    manual_clock clock;
    delivery_counters counters;
    outbox box{link, outbox_limits{1000, 4000, 100ms}, counters, [this] { return clock(); }};
};

TEST_F(outbox_fixture, under_the_low_watermark_every_frame_is_queued) {
    for (int i = 0; i < 9; ++i) push("a", "a" + std::to_string(i));
    EXPECT_EQ(link.sent.size(), 9u);
    EXPECT_FALSE(box.conflating());
    EXPECT_EQ(counters.conflated, 0u);
    EXPECT_EQ(link.flush_requests, 0);
}

TEST_F(outbox_fixture, past_the_low_watermark_the_latest_per_sensor_wins) {
    fill_to_low();
    push("a", "a1");
    push("b", "b1");
    push("a", "a2");
    push("c", "c1");
    push("a", "a3");
    EXPECT_TRUE(link.sent.empty());
    EXPECT_TRUE(box.conflating());
    EXPECT_EQ(box.pending_count(), 3u);
    EXPECT_EQ(counters.conflated, 2u);
    EXPECT_EQ(link.flush_requests, 1) << "one request until the flush comes";
}

TEST_F(outbox_fixture, a_drained_transport_gets_the_pending_frames_in_stream_order) {
    fill_to_low();
    for (const char* t : {"a1", "b1", "a2", "c1", "b2"}) push(std::string(1, t[0]), t);
    link.drain();
    EXPECT_FALSE(box.flush()) << "nothing left to wait for";
    EXPECT_EQ(tags(link.sent), (strings{"a2", "c1", "b2"}));
    EXPECT_FALSE(box.conflating());
    push("d", "d1");  // back under the low watermark: straight through again
    EXPECT_EQ(tags(link.sent).back(), "d1");
}

TEST_F(outbox_fixture, a_flush_queues_only_while_the_transport_is_under_the_low_watermark) {
    fill_to_low();
    for (int i = 0; i < 20; ++i) push("s" + std::to_string(i), "s" + std::to_string(i));
    link.queued = 500;  // half drained: room for five frames of 100 bytes
    EXPECT_TRUE(box.flush()) << "frames still pending";
    EXPECT_EQ(tags(link.sent), (strings{"s0", "s1", "s2", "s3", "s4"}));
    EXPECT_EQ(box.pending_count(), 15u);
}

TEST_F(outbox_fixture, a_later_push_drains_pending_frames_first_when_there_is_room) {
    fill_to_low();
    push("a", "a1");
    push("b", "b1");
    link.drain();
    push("c", "c1");
    EXPECT_EQ(tags(link.sent), (strings{"a1", "b1", "c1"}));
}

TEST_F(outbox_fixture, statuses_are_not_conflated_with_readings) {
    fill_to_low();
    push("a", "ar1");
    push("a", "offline", 100, message_kind::status);
    push("a", "ar2");
    link.drain();
    box.flush();
    EXPECT_EQ(tags(link.sent), (strings{"offline", "ar2"}));
}

TEST_F(outbox_fixture, over_the_high_watermark_past_the_grace_it_closes) {
    fill_to_low();
    for (int i = 0; i < 31; ++i) push("s" + std::to_string(i), "x");  // 1000 + 3100 > 4000
    EXPECT_GT(box.outstanding(), 4000u);
    EXPECT_EQ(link.closed_slow, 0) << "within the grace";
    clock.advance(99ms);
    EXPECT_TRUE(box.flush());
    EXPECT_EQ(link.closed_slow, 0);
    clock.advance(1ms);
    EXPECT_FALSE(box.flush()) << "closed: nothing more to do";
    EXPECT_EQ(link.closed_slow, 1);
    EXPECT_EQ(counters.slow_closed, 1u);
    EXPECT_EQ(counters.dropped, 31u) << "the pending frames";
    EXPECT_TRUE(box.closed());
    push("z", "z1");
    EXPECT_EQ(counters.dropped, 32u);
    EXPECT_EQ(link.closed_slow, 1);
}

TEST_F(outbox_fixture, dropping_back_under_the_high_watermark_restarts_the_grace) {
    fill_to_low();
    for (int i = 0; i < 31; ++i) push("s" + std::to_string(i), "x");
    clock.advance(90ms);
    link.drain();
    box.flush();  // queues ten, 21 stay pending: 1000 + 2100 < 4000
    EXPECT_LE(box.outstanding(), 4000u);
    for (int i = 31; i < 45; ++i) push("s" + std::to_string(i), "x");  // over again
    clock.advance(90ms);
    box.flush();
    EXPECT_EQ(link.closed_slow, 0) << "90 ms over the mark, twice, is not 100 ms";
    clock.advance(10ms);
    box.flush();
    EXPECT_EQ(link.closed_slow, 1);
}

TEST_F(outbox_fixture, twice_the_high_watermark_closes_at_once) {
    fill_to_low();
    push("big", "b", 7001);  // 1000 + 7001 > 8000
    EXPECT_EQ(link.closed_slow, 1);
    EXPECT_EQ(counters.slow_closed, 1u);
}

TEST_F(outbox_fixture, a_silent_client_over_the_mark_is_closed_by_the_flush_timer_alone) {
    link.queued = 4500;  // e.g. a large snapshot queued by the owner
    box.enforce_bounds();
    EXPECT_EQ(link.flush_requests, 1) << "needs a flush to close after the grace";
    clock.advance(100ms);
    EXPECT_FALSE(box.flush());
    EXPECT_EQ(link.closed_slow, 1);
}

TEST_F(outbox_fixture, a_refused_send_is_counted_as_dropped) {
    link.refuse = true;
    push("a", "a1");
    EXPECT_EQ(counters.dropped, 1u);
}

TEST_F(outbox_fixture, discard_drops_the_pending_frames_once) {
    fill_to_low();
    push("a", "a1");
    push("b", "b1");
    box.discard();
    box.discard();
    EXPECT_EQ(counters.dropped, 2u);
    EXPECT_EQ(link.closed_slow, 0);
    EXPECT_FALSE(box.flush());
}

}  // namespace
}  // namespace sb
