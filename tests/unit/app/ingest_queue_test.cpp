#include "app/ingest_queue.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

mqtt_message msg(std::string_view topic) {
    mqtt_message m;
    m.topic = topic;
    return m;
}

TEST(ingest_queue, only_the_first_push_asks_for_a_drain) {
    ingest_queue q(10);
    EXPECT_EQ(q.push(msg("a")), ingest_queue::push_result::queued_wake);
    EXPECT_EQ(q.push(msg("b")), ingest_queue::push_result::queued);
    std::vector<mqtt_message> out;
    EXPECT_FALSE(q.pop_batch(out, 10));  // drained: the drain ends
    EXPECT_EQ(out.size(), 2u);
    EXPECT_EQ(q.push(msg("c")), ingest_queue::push_result::queued_wake);
}

TEST(ingest_queue, drains_in_bounded_batches_in_order) {
    ingest_queue q(100);
    const char* topics[] = {"0", "1", "2", "3", "4"};
    for (const char* t : topics) q.push(msg(t));
    std::vector<mqtt_message> out;
    EXPECT_TRUE(q.pop_batch(out, 2));
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].topic, "0");
    EXPECT_EQ(out[1].topic, "1");
    EXPECT_EQ(q.push(msg("5")), ingest_queue::push_result::queued);  // drain still scheduled
    EXPECT_TRUE(q.pop_batch(out, 2));
    EXPECT_FALSE(q.pop_batch(out, 2));
    EXPECT_EQ(out.back().topic, "5");
}

TEST(ingest_queue, refuses_past_capacity) {
    ingest_queue q(2);
    q.push(msg("a"));
    q.push(msg("b"));
    EXPECT_EQ(q.push(msg("c")), ingest_queue::push_result::full);
    EXPECT_EQ(q.size(), 2u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(ingest_queue_bytes, refuses_past_its_bytes_but_always_takes_one_message) {
    const std::string big(5000, 'p');
    mqtt_message m;
    m.topic = "t";
    m.payload = big;
    const std::size_t one = ingest_queue::cost(m);
    EXPECT_EQ(one, 5001 + sizeof(mqtt_message));
    ingest_queue q(100, 2 * one + 10);
    EXPECT_NE(q.push(mqtt_message(m)), ingest_queue::push_result::full);
    EXPECT_NE(q.push(mqtt_message(m)), ingest_queue::push_result::full);
    EXPECT_EQ(q.push(mqtt_message(m)), ingest_queue::push_result::full);
    EXPECT_EQ(q.bytes(), 2 * one);
    std::vector<mqtt_message> out;
    q.pop_batch(out, 1);
    EXPECT_EQ(q.bytes(), one);
    EXPECT_NE(q.push(mqtt_message(m)), ingest_queue::push_result::full) << "room again once drained";
    q.pop_batch(out, 10);
    EXPECT_EQ(q.bytes(), 0u);
    ingest_queue tiny(100, 10);
    EXPECT_NE(tiny.push(mqtt_message(m)), ingest_queue::push_result::full) << "an empty queue takes any message";
    EXPECT_EQ(tiny.push(mqtt_message(m)), ingest_queue::push_result::full);
}

}  // namespace
}  // namespace sb
