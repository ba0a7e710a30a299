// Rooms (docs/PROTOCOL.md §3): snapshot on subscribe, live delivery, isolation between rooms,
// unsubscribe, and prefix rooms.
#include <gtest/gtest.h>

#include <deque>
#include <string>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

using ws_rooms = bridge_test;

auto reading_of(const std::string& id) {
    return [id](const std::string& f) { return is_reading_of(f, id); };
}

// Frames up to the pong answering a ping sent now: everything the server had queued for us.
std::deque<std::string> drain_until_pong(ws_test_client& c) {
    std::deque<std::string> before;
    c.send(R"({"type":"ping","id":"drain"})");
    const auto pong = c.wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 2000ms, before);
    EXPECT_TRUE(pong) << "no pong";
    return before;
}

std::size_t count_readings(const std::deque<std::string>& frames) {
    std::size_t n = 0;
    for (const auto& f : frames) n += is_frame_type(f, "sensor.reading") ? 1 : 0;
    return n;
}

TEST_F(ws_rooms, subscribe_sends_ack_with_correlation_id_then_snapshot) {
    publish("sensors/temp-1", R"({"sensorId":"temp-1","value":21.5,"unit":"°C"})");
    ASSERT_TRUE(wait_for_seq("temp-1", 1)) << "REST never showed temp-1";

    auto c = connect_client();
    c->send(subscribe_json("sensor:temp-1", "corr-42"));
    const auto ack = c->next_frame(2000ms);
    ASSERT_TRUE(ack);
    const json_doc a(*ack);
    EXPECT_EQ(a.str("/type"), "subscribed") << *ack;
    EXPECT_EQ(a.str("/id"), "corr-42") << *ack;
    EXPECT_EQ(a.str("/payload/room"), "sensor:temp-1") << *ack;

    const auto snap = c->next_frame(2000ms);
    ASSERT_TRUE(snap) << "no snapshot after subscribed";
    const json_doc s(*snap);
    EXPECT_EQ(s.str("/type"), "sensor.reading") << *snap;
    EXPECT_EQ(s.str("/payload/sensorId"), "temp-1");
    EXPECT_EQ(s.number("/payload/value"), 21.5);
    EXPECT_EQ(s.str("/payload/unit"), "°C");
    EXPECT_EQ(s.uint("/payload/seq"), 1u);
    EXPECT_EQ(s.str("/payload/topic"), "sensors/temp-1");

    EXPECT_EQ(count_readings(drain_until_pong(*c)), 0u) << "one sensor, one snapshot frame";
}

TEST_F(ws_rooms, subscribe_to_an_unknown_sensor_sends_no_snapshot) {
    auto c = connect_client();
    subscribe(*c, "sensor:nobody-yet");
    EXPECT_EQ(count_readings(drain_until_pong(*c)), 0u);
}

TEST_F(ws_rooms, live_reading_reaches_a_subscriber_within_one_second) {
    auto c = connect_client();
    subscribe(*c, "sensor:live-1");
    const auto sent_at = ws_test_client::clock::now();
    publish("sensors/live-1", R"({"sensorId":"live-1","value":7.25,"unit":"W"})");
    const auto frame = c->wait_for(reading_of("live-1"), 3000ms);
    ASSERT_TRUE(frame) << "no live reading";
    const auto latency = std::chrono::duration_cast<ms>(c->last_arrival() - sent_at);
    EXPECT_LT(latency.count(), 1000) << "publish -> WebSocket took " << latency.count() << " ms";
    const json_doc d(*frame);
    EXPECT_EQ(d.number("/payload/value"), 7.25);
    EXPECT_EQ(d.uint("/payload/seq"), 1u);
    EXPECT_TRUE(d.uint("/payload/timestamp").has_value()) << *frame;
    EXPECT_TRUE(d.uint("/payload/receivedAt").has_value()) << *frame;
}

TEST_F(ws_rooms, readings_stay_in_their_room) {
    auto a = connect_client();
    auto b = connect_client();
    subscribe(*a, "sensor:iso-a");
    subscribe(*b, "sensor:iso-b");

    publish("sensors/iso-a", "1.5");
    ASSERT_TRUE(a->wait_for(reading_of("iso-a"), 3000ms)) << "A got nothing: delivery itself is broken";
    // A has it, so B would have it by now too; a bounded wait for what must not come.
    const auto leaked = b->next_frame(300ms);
    EXPECT_FALSE(leaked) << "B (sensor:iso-b) received: " << *leaked;

    publish("sensors/iso-b", "2.5");
    const auto own = b->wait_for(reading_of("iso-b"), 3000ms);
    ASSERT_TRUE(own) << "positive control: B never got its own reading";
    EXPECT_EQ(json_doc(*own).number("/payload/value"), 2.5);
}

TEST_F(ws_rooms, unsubscribe_acks_and_stops_delivery) {
    auto c = connect_client();
    subscribe(*c, "sensor:u-1");
    subscribe(*c, "sensor:u-2");
    publish("sensors/u-1", "1");
    ASSERT_TRUE(c->wait_for(reading_of("u-1"), 3000ms)) << "subscription to u-1 never delivered";

    c->send(unsubscribe_json("sensor:u-1", "unsub-1"));
    const auto ack = c->next_frame(2000ms);
    ASSERT_TRUE(ack);
    const json_doc d(*ack);
    EXPECT_EQ(d.str("/type"), "unsubscribed") << *ack;
    EXPECT_EQ(d.str("/id"), "unsub-1") << *ack;
    EXPECT_EQ(d.str("/payload/room"), "sensor:u-1") << *ack;

    // u-1 is published first: had it been delivered it would arrive before u-2.
    publish("sensors/u-1", "2");
    publish("sensors/u-2", "3");
    std::deque<std::string> before;
    ASSERT_TRUE(c->wait_for(reading_of("u-2"), 3000ms, before)) << "positive control: u-2 not delivered";
    for (const auto& f : before) EXPECT_FALSE(is_reading_of(f, "u-1")) << "delivered after unsubscribe: " << f;
    EXPECT_EQ(stats().uint("/ws/subscriptions"), 1u);
}

TEST_F(ws_rooms, prefix_room_gets_only_matching_sensors) {
    auto kitchen = connect_client();
    auto all = connect_client();
    subscribe(*kitchen, "sensor:kitchen.*");
    subscribe(*all, "sensor:*");

    publish("sensors/porch/temperature", "18");
    publish("sensors/kitchen/temperature", "21");

    std::deque<std::string> before;
    const auto k = kitchen->wait_for(reading_of("kitchen.temperature"), 3000ms, before);
    ASSERT_TRUE(k) << "sensor:kitchen.* did not get kitchen.temperature";
    for (const auto& f : before) EXPECT_FALSE(is_reading_of(f, "porch.temperature")) << "leaked: " << f;
    EXPECT_EQ(count_readings(drain_until_pong(*kitchen)), 0u);

    EXPECT_TRUE(all->wait_for(reading_of("porch.temperature"), 3000ms)) << "sensor:* missed porch";
    EXPECT_TRUE(all->wait_for(reading_of("kitchen.temperature"), 3000ms)) << "sensor:* missed kitchen";
}

TEST_F(ws_rooms, prefix_subscribe_snapshots_every_matching_sensor) {
    publish("sensors/kitchen/temperature", "21");
    publish("sensors/kitchen/humidity", "40");
    publish("sensors/porch/temperature", "18");
    ASSERT_TRUE(wait_for_seq("porch.temperature", 1));
    ASSERT_TRUE(wait_for_seq("kitchen.humidity", 1));
    ASSERT_TRUE(wait_for_seq("kitchen.temperature", 1));

    auto c = connect_client();
    subscribe(*c, "sensor:kitchen.*");
    const auto snapshot = drain_until_pong(*c);
    ASSERT_EQ(count_readings(snapshot), 2u);
    bool humidity = false;
    bool temperature = false;
    for (const auto& f : snapshot) {
        humidity |= is_reading_of(f, "kitchen.humidity");
        temperature |= is_reading_of(f, "kitchen.temperature");
        EXPECT_FALSE(is_reading_of(f, "porch.temperature")) << f;
    }
    EXPECT_TRUE(humidity && temperature);
}

}  // namespace
}  // namespace sb_it
