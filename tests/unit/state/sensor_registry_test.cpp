#include "state/sensor_registry.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb {
namespace {

reading make(const std::string& id, std::uint64_t seq, double value = 1.0) {
    reading r;
    r.sensor_id = id;
    r.value = value;
    r.seq = seq;
    return r;
}

void add(sensor_registry& c, const std::string& id, std::uint64_t seq, double value = 1.0) {
    c.update(make(id, seq, value), make_text_message("frame:" + id + ":" + std::to_string(seq)));
}

std::vector<std::string> ids_with_prefix(const sensor_registry& c, std::string_view prefix) {
    std::vector<std::string> ids;
    c.for_each_prefix(prefix, [&](const sensor_registry::entry& e) { ids.push_back(e.latest.sensor_id); });
    return ids;
}

TEST(sensor_registry, next_seq_starts_at_one_and_follows_the_last_reading) {
    sensor_registry c;
    EXPECT_EQ(c.next_seq("temp-1"), 1u);
    add(c, "temp-1", 41);
    EXPECT_EQ(c.next_seq("temp-1"), 42u);
    EXPECT_EQ(c.next_seq("temp-2"), 1u);
}

TEST(sensor_registry, admits_known_sensors_always_and_new_ones_up_to_the_bound) {
    sensor_registry c(2);
    EXPECT_EQ(c.max_sensors(), 2u);
    EXPECT_TRUE(c.admits("a"));
    add(c, "a", 1);
    add(c, "b", 1);
    EXPECT_FALSE(c.admits("c"));
    EXPECT_TRUE(c.admits("a"));
    EXPECT_TRUE(c.admits("b"));
    EXPECT_EQ(c.size(), 2u);
}

TEST(sensor_registry, update_replaces_reading_and_message) {
    sensor_registry c;
    EXPECT_EQ(c.find("temp-1"), nullptr);
    add(c, "temp-1", 1, 20.0);
    add(c, "temp-1", 2, 21.5);
    const auto* e = c.find("temp-1");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->latest.seq, 2u);
    EXPECT_EQ(std::get<double>(e->latest.value), 21.5);
    ASSERT_NE(e->message, nullptr);
    EXPECT_EQ(e->message->text(), "frame:temp-1:2");
    EXPECT_EQ(c.size(), 1u);
    EXPECT_EQ(c.find("temp"), nullptr);
}

class sensor_registry_prefix : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* id : {"temp-10", "kitchen.temperature", "tem", "kitchen", "temp",
                               "kitchenette.light", "temperature", "kitchen.humidity", "temp-1",
                               "tf", "a"})
            add(c_, id, 1);
    }
    sensor_registry c_;
};

TEST_F(sensor_registry_prefix, empty_prefix_visits_every_sensor_in_id_order) {
    EXPECT_EQ(ids_with_prefix(c_, ""),
              (std::vector<std::string>{"a", "kitchen", "kitchen.humidity", "kitchen.temperature",
                                        "kitchenette.light", "tem", "temp", "temp-1", "temp-10",
                                        "temperature", "tf"}));
}

TEST_F(sensor_registry_prefix, dotted_prefix_visits_only_that_group) {
    EXPECT_EQ(ids_with_prefix(c_, "kitchen."),
              (std::vector<std::string>{"kitchen.humidity", "kitchen.temperature"}));
}

TEST_F(sensor_registry_prefix, prefix_of_other_ids_includes_itself_and_longer_ids_only) {
    EXPECT_EQ(ids_with_prefix(c_, "temp"),
              (std::vector<std::string>{"temp", "temp-1", "temp-10", "temperature"}));
    EXPECT_EQ(ids_with_prefix(c_, "temp-1"), (std::vector<std::string>{"temp-1", "temp-10"}));
    EXPECT_EQ(ids_with_prefix(c_, "kitchen"),
              (std::vector<std::string>{"kitchen", "kitchen.humidity", "kitchen.temperature",
                                        "kitchenette.light"}));
}

TEST_F(sensor_registry_prefix, unmatched_prefix_visits_nothing) {
    EXPECT_TRUE(ids_with_prefix(c_, "zzz").empty());
    EXPECT_TRUE(ids_with_prefix(c_, "temq").empty());
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(sensor_registry_history, keeps_the_newest_points_up_to_the_depth) {
    sensor_registry c(10, 3);
    for (std::uint64_t seq = 1; seq <= 5; ++seq) c.update(make("h", seq, static_cast<double>(seq)), nullptr);
    const auto* e = c.find("h");
    ASSERT_NE(e, nullptr);
    ASSERT_EQ(e->history.size(), 3u);
    EXPECT_EQ(e->history.front().seq, 3u);
    EXPECT_EQ(e->history.back().seq, 5u);
    const reading r = sensor_registry::to_reading(*e, e->history.front());
    EXPECT_EQ(r.sensor_id, "h");
    EXPECT_EQ(std::get<double>(r.value), 3.0);
}

TEST(sensor_registry_history, restore_puts_stored_points_before_the_latest_oldest_first) {
    sensor_registry c(10, 3);
    c.update(make("h", 10), nullptr);
    for (std::uint64_t seq = 1; seq <= 10; ++seq) c.restore_history(make("h", seq));
    c.restore_history(make("unknown", 1));
    const auto* e = c.find("h");
    ASSERT_NE(e, nullptr);
    std::vector<std::uint64_t> seqs;
    for (std::size_t i = 0; i < e->history.size(); ++i) seqs.push_back(e->history[i].seq);
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{8, 9, 10}));
    EXPECT_EQ(c.find("unknown"), nullptr);
}

TEST(sensor_registry_history, a_reused_seq_replaces_the_points_from_it_on) {
    sensor_registry c(10, 5);
    for (std::uint64_t seq = 1; seq <= 4; ++seq) c.update(make("h", seq), nullptr);
    c.update(make("h", 3, 9.0), nullptr);  // after a crash, seq 3 handed out again
    const auto* e = c.find("h");
    ASSERT_EQ(e->history.size(), 3u);
    EXPECT_EQ(e->history.back().seq, 3u);
    EXPECT_EQ(std::get<double>(e->history.value(e->history.back())), 9.0);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(sensor_registry_seq, advance_seqs_skips_ahead_once_then_counts_by_one) {
    sensor_registry c;
    c.update(make("a", 7), nullptr);
    c.advance_seqs(1000);
    EXPECT_EQ(c.next_seq("a"), 1008u);
    EXPECT_EQ(c.next_seq("new"), 1001u);  // it may have had uncommitted readings too
    c.update(make("a", 1008), nullptr);
    EXPECT_EQ(c.next_seq("a"), 1009u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(sensor_registry, remove_forgets_latest_history_and_status_and_frees_the_bound) {
    sensor_registry c(2, 8);
    add(c, "a", 1);
    add(c, "a", 2);
    add(c, "b", 1);
    c.status().on_presence("dev", false, 100);  // known only by a status
    EXPECT_FALSE(c.admits("c")) << "full";
    ASSERT_TRUE(c.remove("a"));
    EXPECT_EQ(c.find("a"), nullptr);
    EXPECT_EQ(c.status().find("a"), nullptr);
    EXPECT_TRUE(c.admits("c"));
    EXPECT_EQ(c.next_seq("a"), 1u) << "a sensor back after being forgotten is new";
    EXPECT_TRUE(c.remove("dev")) << "a status alone is something to forget";
    EXPECT_FALSE(c.remove("dev"));
    EXPECT_FALSE(c.remove("never"));
    add(c, "a", 1);
    EXPECT_EQ(c.find("a")->history.size(), 1u) << "no history left from before";
    EXPECT_EQ(ids_with_prefix(c, ""), (std::vector<std::string>{"a", "b"}));
}

}  // namespace
}  // namespace sb
