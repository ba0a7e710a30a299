// Interval learning and stale detection, driven by an injected clock (plain ms values).
#include "state/status_tracker.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sb {
namespace {

status_options opts(double factor = 3.0, std::int64_t min_ms = 1000) {
    status_options o;
    o.stale_factor = factor;
    o.stale_min_ms = min_ms;
    return o;
}

// Feeds readings at the given times and returns the tracker's state for the sensor.
const status_tracker::state& feed(status_tracker& t, const std::string& id, const std::vector<std::int64_t>& times) {
    for (auto at : times) t.on_reading(id, at);
    return *t.find(id);
}

std::vector<status_change> scan(status_tracker& t, std::int64_t now) {
    std::vector<status_change> out;
    t.scan(now, out);
    return out;
}

TEST(status_tracker, interval_is_the_median_gap_so_jitter_and_one_pause_do_not_move_it) {
    status_tracker t(opts());
    struct tc {
        const char* name;
        std::vector<std::int64_t> times;
        std::uint32_t interval;
    };
    const std::vector<tc> cases = {
        {"one reading: unknown", {1000}, 0},
        {"steady 200 ms", {1000, 1200, 1400, 1600, 1800}, 200},
        {"jitter around 500 ms", {0, 480, 1010, 1500, 1990, 2520, 3000}, 490},
        {"one long pause", {0, 100, 200, 300, 5300, 5400, 5500}, 100},
        {"same ms twice is no gap", {10, 10, 60, 110}, 50},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(feed(t, c.name, c.times).interval_ms, c.interval);
    }
}

TEST(status_tracker, interval_follows_a_new_rate_after_half_the_samples) {
    status_tracker t(opts());
    std::int64_t at = 0;
    for (int i = 0; i < 9; ++i) t.on_reading("s", at += 1000);
    EXPECT_EQ(t.find("s")->interval_ms, 1000u);
    for (int i = 0; i < 5; ++i) t.on_reading("s", at += 100);
    EXPECT_EQ(t.find("s")->interval_ms, 100u) << "most of the last 8 gaps are 100 ms";
}

TEST(status_tracker, silent_sensor_turns_stale_after_factor_intervals_and_a_reading_brings_it_back) {
    status_tracker t(opts(3.0, 500));
    feed(t, "fast", {0, 200, 400, 600, 800});  // 5 Hz: threshold 3 x 200 = 600 ms
    EXPECT_EQ(t.threshold_ms(*t.find("fast")), 600);
    EXPECT_TRUE(scan(t, 1400).empty()) << "600 ms of silence is still within the threshold";
    const auto stale = scan(t, 1401);
    ASSERT_EQ(stale.size(), 1u);
    EXPECT_EQ(stale[0].sensor_id, "fast");
    EXPECT_EQ(stale[0].status, sensor_status::stale);
    EXPECT_EQ(stale[0].since, 1401);
    EXPECT_TRUE(scan(t, 5000).empty()) << "a transition is reported once";

    const auto back = t.on_reading("fast", 6000);
    ASSERT_TRUE(back);
    EXPECT_EQ(back->status, sensor_status::online);
    EXPECT_EQ(back->since, 6000);
    EXPECT_FALSE(t.on_reading("fast", 6200)) << "online to online is no change";
}

TEST(status_tracker, minimum_silence_applies_to_fast_and_unknown_intervals) {
    status_tracker t(opts(3.0, 1000));
    feed(t, "fast", {0, 10, 20, 30});  // 3 x 10 ms is below the floor
    feed(t, "once", {30});             // no interval yet
    EXPECT_EQ(t.threshold_ms(*t.find("fast")), 1000);
    EXPECT_EQ(t.threshold_ms(*t.find("once")), 1000);
    EXPECT_TRUE(scan(t, 1000).empty());
    EXPECT_EQ(scan(t, 1031).size(), 2u);
}

TEST(status_tracker, offline_comes_from_status_topics_and_ends_with_online_or_a_reading) {
    status_tracker t(opts(3.0, 1000));
    feed(t, "dev", {0, 100});
    auto off = t.on_presence("dev", false, 150);
    ASSERT_TRUE(off);
    EXPECT_EQ(off->status, sensor_status::offline);
    EXPECT_EQ(off->since, 150);
    EXPECT_FALSE(t.on_presence("dev", false, 160)) << "a repeated status is no change";
    EXPECT_TRUE(scan(t, 100000).empty()) << "offline sensors do not turn stale";

    auto on = t.on_presence("dev", true, 200000);
    ASSERT_TRUE(on);
    EXPECT_EQ(on->status, sensor_status::online);
    EXPECT_TRUE(scan(t, 200000 + 1000).empty()) << "a full threshold from the announcement";

    t.on_presence("dev", false, 300000);
    auto reading = t.on_reading("dev", 300100);
    ASSERT_TRUE(reading) << "a reading ends offline too";
    EXPECT_EQ(reading->status, sensor_status::online);
}

// A device's availability topic gives an id with no readings of its own (SenML's "dev-2" beside
// "dev-2:co2"): nothing to be silent about, so only its status topic moves it.
TEST(status_tracker, a_sensor_known_only_by_its_status_never_turns_stale) {
    status_tracker t(opts(3.0, 1000));
    ASSERT_TRUE(t.on_presence("dev-2", true, 0));
    EXPECT_TRUE(scan(t, 1000000).empty());
    EXPECT_EQ(t.find("dev-2")->status, sensor_status::online);
    feed(t, "dev-2", {1000001});
    EXPECT_EQ(scan(t, 1000001 + 1001).size(), 1u) << "once it has readings, silence counts";
}

TEST(status_tracker, online_announcement_does_not_end_a_stale_spell) {
    status_tracker t(opts(3.0, 1000));
    feed(t, "dev", {1});
    ASSERT_EQ(scan(t, 2000).size(), 1u);
    EXPECT_FALSE(t.on_presence("dev", true, 2100)) << "a retained 'online' says nothing about data";
    EXPECT_EQ(t.find("dev")->status, sensor_status::stale);
}

TEST(status_tracker, new_sensor_from_a_status_topic_is_announced) {
    status_tracker t(opts());
    auto first = t.on_presence("hall", true, 50);
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, sensor_status::online);
    EXPECT_FALSE(t.on_reading("new", 60)) << "a first reading is no transition";
}

TEST(status_tracker, restore_learns_from_stored_receive_times) {
    status_tracker t(opts(3.0, 1000));
    for (std::int64_t at : {10000, 12000, 14000, 16000}) t.restore("slow", at);
    const auto* s = t.find("slow");
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->interval_ms, 2000u);
    EXPECT_EQ(s->status, sensor_status::online);
    EXPECT_TRUE(scan(t, 16000 + 6000).empty());
    EXPECT_EQ(scan(t, 16000 + 6001).size(), 1u) << "silent since before the restart";
}

TEST(status_tracker, sensors_are_bounded) {
    auto o = opts();
    o.max_sensors = 2;
    status_tracker t(o);
    t.on_reading("a", 1);
    t.on_presence("b", false, 1);
    EXPECT_FALSE(t.on_presence("c", false, 1));
    t.on_reading("c", 2);
    EXPECT_EQ(t.size(), 2u);
    EXPECT_EQ(t.find("c"), nullptr);
}

TEST(status_tracker, names_on_the_wire) {
    EXPECT_EQ(to_string(sensor_status::online), "online");
    EXPECT_EQ(to_string(sensor_status::stale), "stale");
    EXPECT_EQ(to_string(sensor_status::offline), "offline");
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// A retained value is judged by when the sensor sent it, and proves no life.
TEST(status_tracker, a_retained_value_counts_from_its_own_time) {
    status_tracker t(opts(3.0, 1000));
    status_tracker::state* old_state = nullptr;
    const auto stale = t.on_retained("old", old_state, 100000, 50000);  // sent 50 s before
    ASSERT_TRUE(stale);
    EXPECT_EQ(stale->status, sensor_status::stale);
    EXPECT_EQ(stale->since, 100000);

    status_tracker::state* recent = nullptr;
    EXPECT_FALSE(t.on_retained("recent", recent, 100000, 99500)) << "a new sensor starts online: no change";
    EXPECT_EQ(t.find("recent")->status, sensor_status::online);
    EXPECT_TRUE(scan(t, 100400).empty());
    EXPECT_EQ(scan(t, 100600).size(), 1u) << "stale a threshold after the value's own time";

    EXPECT_TRUE(t.on_presence("off", false, 100000));
    status_tracker::state* off = nullptr;
    EXPECT_FALSE(t.on_retained("off", off, 100100, 100100)) << "a retained value does not end offline";
    EXPECT_EQ(t.find("off")->status, sensor_status::offline);
    EXPECT_EQ(t.find("off")->interval_ms, 0u) << "no gap learned";
}

}  // namespace
}  // namespace sb
