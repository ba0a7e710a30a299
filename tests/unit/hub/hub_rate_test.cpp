// maxRateHz through the hub: per sensor, fastest room wins, the last value always delivered.
#include "hub/hub.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "delivery_fakes.hpp"

namespace sb {
namespace {

using namespace std::chrono_literals;
using strings = std::vector<std::string>;

struct recording_client : hub_client {
    strings got;
    void deliver(const std::string&, const out_message_ptr& f, message_kind) override { got.push_back(f->text()); }
};

room R(const char* name) { return *room::parse(name); }

class hub_rate : public ::testing::Test {
protected:
    void SetUp() override {
        h.set_wake([this](hub::clock::time_point due) { wakes.push_back(due); });
    }
    void publish(const std::string& sensor, const std::string& text, message_kind kind = message_kind::reading) {
        h.publish(sensor, make_text_message(text), kind);
    }

    testing::manual_clock clock;
    hub h{8, [this] { return clock(); }};
    std::shared_ptr<recording_client> a = std::make_shared<recording_client>();
    hub::client_id ia = h.connect(a);
    std::vector<hub::clock::time_point> wakes;
};

TEST_F(hub_rate, one_reading_per_interval_per_sensor_and_the_last_one_trails) {
    h.subscribe(ia, R("sensor:*"), 2);  // every 500 ms
    for (int i = 0; i < 10; ++i) {
        publish("x", "x" + std::to_string(i));
        publish("y", "y" + std::to_string(i));
        clock.advance(50ms);
    }
    EXPECT_EQ(a->got, (strings{"x0", "y0"}));
    ASSERT_FALSE(wakes.empty());
    EXPECT_EQ(wakes.front(), clock.t) << "woken for when x's held reading is due";
    EXPECT_EQ(h.flush_due(), std::nullopt) << "500 ms after the first sends: both due now";
    EXPECT_EQ(a->got, (strings{"x0", "y0", "x9", "y9"}));
    EXPECT_EQ(h.frames_sent(), 4u);
}

TEST_F(hub_rate, flush_due_reports_the_next_due_time) {
    h.subscribe(ia, R("sensor:x"), 1);
    publish("x", "1");
    clock.advance(300ms);
    publish("x", "2");
    auto next = h.flush_due();
    ASSERT_TRUE(next);
    EXPECT_EQ(*next, clock.t + 700ms);
    EXPECT_EQ(a->got, strings{"1"});
    clock.advance(700ms);
    h.flush_due();
    EXPECT_EQ(a->got, (strings{"1", "2"}));
}

TEST_F(hub_rate, overlapping_rooms_deliver_once_at_the_fastest_rate) {
    h.subscribe(ia, R("sensor:*"), 1);
    h.subscribe(ia, R("sensor:x"), 10);  // every 100 ms
    for (int i = 0; i < 10; ++i) {
        publish("x", std::to_string(i));
        clock.advance(50ms);
    }
    EXPECT_EQ(a->got, (strings{"0", "2", "4", "6", "8"}));
}

TEST_F(hub_rate, a_room_without_a_rate_lets_every_reading_through) {
    h.subscribe(ia, R("sensor:*"), 1);
    h.subscribe(ia, R("sensor:x"));
    for (int i = 0; i < 3; ++i) publish("x", std::to_string(i));
    publish("y", "y0");
    publish("y", "y1");
    EXPECT_EQ(a->got, (strings{"0", "1", "2", "y0"}));
}

TEST_F(hub_rate, clients_without_a_rate_are_not_affected) {
    auto b = std::make_shared<recording_client>();
    h.subscribe(h.connect(b), R("sensor:x"));
    h.subscribe(ia, R("sensor:x"), 1);
    for (int i = 0; i < 3; ++i) publish("x", std::to_string(i));
    EXPECT_EQ(b->got, (strings{"0", "1", "2"}));
    EXPECT_EQ(a->got, strings{"0"});
}

TEST_F(hub_rate, a_status_goes_at_once_after_the_held_reading) {
    h.subscribe(ia, R("sensor:x"), 1);
    publish("x", "r1");
    publish("x", "r2");
    publish("x", "offline", message_kind::status);
    EXPECT_EQ(a->got, (strings{"r1", "r2", "offline"}));
    clock.advance(2s);
    h.flush_due();
    EXPECT_EQ(a->got.size(), 3u) << "r2 was not held twice";
}

TEST_F(hub_rate, subscribing_again_changes_the_rate_and_releases_held_readings) {
    h.subscribe(ia, R("sensor:x"), 1);
    publish("x", "1");
    publish("x", "2");
    EXPECT_EQ(h.subscribe(ia, R("sensor:x")), subscribe_status::already_subscribed);
    EXPECT_EQ(a->got, (strings{"1", "2"})) << "the held value is not lost";
    publish("x", "3");
    EXPECT_EQ(a->got, (strings{"1", "2", "3"}));
}

TEST_F(hub_rate, unsubscribing_drops_what_was_held_for_the_room) {
    h.subscribe(ia, R("sensor:x"), 1);
    h.subscribe(ia, R("sensor:y"), 1);
    publish("x", "x1");
    publish("x", "x2");
    EXPECT_TRUE(h.unsubscribe(ia, R("sensor:x")));
    clock.advance(2s);
    EXPECT_EQ(h.flush_due(), std::nullopt);
    EXPECT_EQ(a->got, strings{"x1"});
}

TEST_F(hub_rate, a_disconnected_client_holds_nothing) {
    h.subscribe(ia, R("sensor:x"), 1);
    publish("x", "1");
    publish("x", "2");
    h.disconnect(ia);
    clock.advance(2s);
    EXPECT_EQ(h.flush_due(), std::nullopt);
    EXPECT_EQ(a->got, strings{"1"});
}

}  // namespace
}  // namespace sb
