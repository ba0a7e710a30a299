#include "persist/pending_writes.hpp"

#include <gtest/gtest.h>

#include <string>

#include "store_fixtures.hpp"
#include "wire/reading_json.hpp"

namespace sb {
namespace {

using store_fixtures::make_reading;

// Puts a reading the way the pipeline does: history point from the frame, with a hint.
pending_writes::put_result put(pending_writes& p, reading r, pending_hint* hint) {
    reading_json_fields fields;
    const std::string frame = reading_message_json(r, fields);
    return p.put(std::move(r), true, frame, fields, hint);
}

TEST(pending_writes_hint, a_current_hint_finds_the_sensor_and_a_stale_one_is_renewed) {
    pending_writes p(10, 1000, 100);
    pending_hint a, b;
    EXPECT_EQ(put(p, make_reading("a", 1.0, 1), &a).latest, pending_writes::latest_result::added);
    EXPECT_NE(a.slot, nullptr);
    EXPECT_EQ(put(p, make_reading("b", 2.0, 1), &b).latest, pending_writes::latest_result::added);
    EXPECT_EQ(put(p, make_reading("a", 3.0, 2), &a).latest, pending_writes::latest_result::replaced);
    EXPECT_EQ(p.latest_size(), 2u);
    EXPECT_EQ(p.history_size(), 3u);

    write_batch first = p.take();
    ASSERT_EQ(first.sensors.size(), 2u);
    EXPECT_EQ(std::get<double>(first.sensors.at("a").latest->value), 3.0);
    EXPECT_EQ(first.sensors.at("a").history.points, 2u);

    // After take the hint is stale: the reading goes to a new record, not into the taken batch.
    const pending_hint before = a;
    EXPECT_EQ(put(p, make_reading("a", 4.0, 3), &a).latest, pending_writes::latest_result::added);
    EXPECT_NE(a.generation, before.generation);
    EXPECT_EQ(first.sensors.at("a").history.points, 2u);
    write_batch second = p.take();
    ASSERT_EQ(second.sensors.size(), 1u);
    EXPECT_EQ(std::get<double>(second.sensors.at("a").latest->value), 4.0);
}

TEST(pending_writes_hint, a_hint_is_stale_after_a_requeue) {
    pending_writes p(10, 1000, 100);
    pending_hint a;
    put(p, make_reading("a", 1.0, 1), &a);
    write_batch failed = p.take();
    put(p, make_reading("a", 2.0, 2), &a);
    const pending_hint before = a;
    p.requeue(std::move(failed));  // may erase and re-add records
    EXPECT_EQ(put(p, make_reading("a", 3.0, 3), &a).latest, pending_writes::latest_result::replaced);
    EXPECT_NE(a.generation, before.generation);
    write_batch all = p.take();
    ASSERT_EQ(all.sensors.size(), 1u);
    EXPECT_EQ(std::get<double>(all.sensors.at("a").latest->value), 3.0);
    EXPECT_EQ(all.sensors.at("a").history.points, 3u);
}

TEST(pending_writes_hint, a_full_store_sets_no_hint) {
    pending_writes p(1, 1000, 100);
    pending_hint a, b;
    put(p, make_reading("a", 1.0, 1), &a);
    EXPECT_EQ(put(p, make_reading("b", 1.0, 1), &b).latest, pending_writes::latest_result::full);
    EXPECT_EQ(b.slot, nullptr);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Forgetting a sensor: its waiting rows go at once; the deletion goes with the next batch,
// before that batch's writes; a failed batch coming back does not bring the sensor back.
TEST(pending_writes_forget, drops_what_waits_and_queues_the_deletion) {
    pending_writes p(10, 1000, 100);
    p.put(store_fixtures::make_reading("a", 1.0, 1), true);
    p.put(store_fixtures::make_reading("b", 2.0, 1), true);
    p.forget("a");
    EXPECT_EQ(p.latest_size(), 1u);
    EXPECT_EQ(p.history_size(), 1u);
    p.put(store_fixtures::make_reading("a", 5.0, 1), true);  // back, as a new sensor
    write_batch batch = p.take();
    EXPECT_EQ(batch.forgotten, std::vector<std::string>{"a"});
    ASSERT_EQ(batch.sensors.count("a"), 1u);
    EXPECT_EQ(std::get<double>(batch.sensors.at("a").latest->value), 5.0);
    EXPECT_TRUE(p.empty());
    p.forget("c");
    EXPECT_FALSE(p.empty()) << "a deletion alone is work for the writer";
}

TEST(pending_writes_forget, a_requeued_batch_keeps_forgotten_sensors_forgotten) {
    pending_writes p(10, 1000, 100);
    p.put(store_fixtures::make_reading("a", 1.0, 1), true);
    p.put(store_fixtures::make_reading("b", 2.0, 1), true);
    write_batch failed = p.take();  // the writer's commit of it fails...
    p.forget("a");                  // ...while the sensor is forgotten
    p.requeue(std::move(failed));
    write_batch retry = p.take();
    EXPECT_EQ(retry.forgotten, std::vector<std::string>{"a"});
    EXPECT_EQ(retry.sensors.count("a"), 0u) << "its old rows would bring it back";
    EXPECT_EQ(retry.sensors.count("b"), 1u);

    p.forget("b");
    write_batch failed_delete = p.take();  // the deletion itself fails: it comes back
    p.requeue(std::move(failed_delete));
    EXPECT_EQ(p.take().forgotten, std::vector<std::string>{"b"});
}

}  // namespace
}  // namespace sb
