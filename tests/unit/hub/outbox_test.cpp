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

namespace sb {
namespace {

using namespace std::chrono_literals;
using testing::fake_link;
using testing::sized_frame;

// Three clients share a budget of 40 KiB (what they owe past 16 KiB each); per client the
// watermarks are far away (1 MiB, 4 MiB), so only the budget decides. Frames of 1 KiB.
class send_budget_fixture : public ::testing::Test {
protected:
    static constexpr std::size_t kib = 1024;
    void push(int client, const std::string& sensor, int n = 1) {
        for (int i = 0; i < n; ++i) boxes[client]->push(sensor + std::to_string(i), message_kind::reading, sized_frame("f", kib));
    }
    send_budget budget{};
    outbox_limits limits{1024 * kib, 4096 * kib, 5000ms, &budget};
    fake_link links[3];
    delivery_counters counters;
    std::unique_ptr<outbox> boxes[3];
    void SetUp() override {
        budget.limit = 40 * kib;
        for (int i = 0; i < 3; ++i) boxes[i] = std::make_unique<outbox>(links[i], limits, counters);
    }
};

TEST_F(send_budget_fixture, clients_that_keep_up_are_not_charged) {
    push(0, "a", 10);
    push(1, "a", 10);
    EXPECT_EQ(budget.total, 0u);
    EXPECT_EQ(budget.charging, 0u);
    EXPECT_EQ(links[0].flush_requests, 0);
}

TEST_F(send_budget_fixture, past_the_budget_the_client_furthest_behind_is_conflated_first) {
    push(0, "s", 50);  // owes 50 KiB: charged 34
    push(1, "s", 30);  // owes 30 KiB: charged 14; 48 in all, over 40
    EXPECT_EQ(budget.total, 48 * kib);
    EXPECT_EQ(budget.charging, 2u);
    // Client 0 is above the mean charge: its next frames are conflated; client 1 still gets them.
    push(0, "x", 5);
    push(1, "x", 5);
    EXPECT_TRUE(boxes[0]->conflating());
    EXPECT_EQ(links[0].sent.size(), 50u);
    EXPECT_FALSE(boxes[1]->conflating());
    EXPECT_EQ(links[1].sent.size(), 35u);
    // A third client that keeps up is not held back by the others.
    push(2, "y", 10);
    EXPECT_EQ(links[2].sent.size(), 10u);
    // Client 0 drains: its charge goes with the next flush, and what waited is sent.
    links[0].drain();
    EXPECT_FALSE(boxes[0]->flush());
    EXPECT_FALSE(boxes[0]->conflating());
    EXPECT_EQ(links[0].sent.size(), 55u);
    EXPECT_EQ(boxes[0]->charged(), 0u);
}

TEST_F(send_budget_fixture, past_twice_the_budget_the_client_furthest_behind_is_closed) {
    push(1, "s", 20);  // charged 4 KiB
    // Conflation cannot hold a client of ever new sensors: its pending frames grow too.
    push(0, "s", 120);
    EXPECT_EQ(links[0].closed_slow, 1) << "owed " << boxes[0]->outstanding();
    EXPECT_EQ(links[1].closed_slow, 0);
    EXPECT_EQ(counters.slow_closed, 1u);
    EXPECT_EQ(boxes[0]->charged(), 0u) << "a closed client gives its charge back";
    EXPECT_EQ(budget.total, boxes[1]->charged());
}

TEST_F(send_budget_fixture, a_client_that_goes_away_gives_its_charge_back) {
    push(0, "s", 30);
    push(1, "s", 20);
    EXPECT_EQ(budget.charging, 2u);
    boxes[0].reset();
    EXPECT_EQ(budget.charging, 1u);
    EXPECT_EQ(budget.total, 4 * kib);
    // A charged client keeps asking to be flushed until it owes less than the floor.
    EXPECT_TRUE(boxes[1]->flush());
    links[1].drain();
    EXPECT_FALSE(boxes[1]->flush());
    EXPECT_EQ(budget.total, 0u);
}

}  // namespace
}  // namespace sb
