// Where a series answer comes from (http/series_source.hpp): the tier chosen from the range and
// maxPoints, raw readings whenever they fit, a tier that does not reach back to `from` giving way
// to one that does, and memory's readings the disk does not hold yet joined in once. Through the
// real store and file; the writer's clock is the test's.
#include <gtest/gtest.h>

#include <atomic>
#include <string>

#include "../persist/store_fixtures.hpp"
#include "http/series_source.hpp"
#include "persist/sqlite_store.hpp"
#include "persist/tier_reader.hpp"

namespace sb {
namespace {

using namespace store_fixtures;
using namespace std::chrono_literals;

constexpr std::int64_t minute = 60LL * 1000;
constexpr std::int64_t hour = 60 * minute;
constexpr std::int64_t day0 = 1795046400000;  // 2026-11-19T00:00:00Z

class series_source_test : public store_dir_test {
protected:
    // Three closed hours of a 1 Hz sensor "t" (value: the minute of the hour), compacted.
    void fill(std::int64_t raw_retention_ms) {
        store_options o = options();
        o.maintenance_interval = 20ms;
        o.flush_interval = 20ms;
        o.tier_hold = 0ms;
        o.tiers.raw_retention_ms = raw_retention_ms;
        o.wall_clock = [this] { return now_.load(); };
        sqlite_store store(o);
        std::uint64_t seq = 0;
        for (std::int64_t t = day0; t < day0 + 3 * hour; t += 1000) {
            reading r = make_reading("t", static_cast<double>(t / minute % 60), ++seq);
            r.timestamp = t;
            ASSERT_TRUE(store.put(r));
        }
        store.start();
        ASSERT_TRUE(eventually([&] { return store.stats().tier_compactions >= 3; }));
        store.stop();
    }
    series ask(std::int64_t from, std::int64_t to, std::size_t max_points, const series_memory& m = {"t", {}, -1}) {
        auto db = open_raw(path_);
        tier_reader r(db.get());
        series_query q;
        q.from = from;
        q.to = to;
        q.max_points = max_points;
        series out;
        EXPECT_TRUE(tiered_series(r, m, q, out));
        return out;
    }
    static std::uint64_t counted(const series& s) {
        std::uint64_t n = 0;
        for (const series_bucket& b : s.buckets) n += b.count;
        return n;
    }

    std::atomic<std::int64_t> now_{day0 + 4 * hour};
};

TEST_F(series_source_test, raw_when_the_readings_fit_at_any_width) {
    fill(3650LL * 24 * hour);
    const series s = ask(day0, day0 + hour - 1, 3600);
    EXPECT_EQ(s.tier, "raw");
    EXPECT_EQ(s.resolution(), "raw");
    EXPECT_EQ(s.points.size(), 3600u);
    // A wide range whose few readings fit: raw too, although its buckets would be hours wide
    // (the rows' counts, 3 600 for the hour it touches, are within 4 x maxPoints: decoded and
    // counted).
    const series sparse = ask(day0 + 3 * hour - 10000, day0 + 30 * 24 * hour, 1000);
    EXPECT_EQ(sparse.tier, "raw");
    EXPECT_EQ(sparse.points.size(), 10u);
}

TEST_F(series_source_test, buckets_of_a_minute_or_more_come_from_minutes_of_an_hour_or_more_from_hours) {
    fill(3650LL * 24 * hour);
    const series minutes = ask(day0, day0 + hour - 1, 30);  // 2-minute buckets
    EXPECT_EQ(minutes.tier, "1m");
    EXPECT_EQ(minutes.bucket_ms, 2 * minute);
    EXPECT_EQ(minutes.resolution(), "120000ms");
    ASSERT_EQ(minutes.buckets.size(), 30u);
    EXPECT_EQ(counted(minutes), 3600u);
    EXPECT_DOUBLE_EQ(minutes.buckets[1].min, 2.0);
    EXPECT_DOUBLE_EQ(minutes.buckets[1].max, 3.0);

    const series one_minute = ask(day0, day0 + 3 * hour - 1, 180);
    EXPECT_EQ(one_minute.tier, "1m");
    EXPECT_EQ(one_minute.resolution(), "1m");

    const series hours = ask(day0, day0 + 3 * hour - 1, 3);
    EXPECT_EQ(hours.tier, "1h");
    EXPECT_EQ(hours.resolution(), "1h");
    ASSERT_EQ(hours.buckets.size(), 3u);
    EXPECT_EQ(counted(hours), 3 * 3600u);
    EXPECT_DOUBLE_EQ(hours.buckets[2].min, 0.0);
    EXPECT_DOUBLE_EQ(hours.buckets[2].max, 59.0);
    // Buckets are whole hours, never a mix: 2 buckets for 3 hours are 2 hours wide.
    const series wide = ask(day0, day0 + 3 * hour - 1, 2);
    EXPECT_EQ(wide.tier, "1h");
    EXPECT_EQ(wide.bucket_ms, 2 * hour);
    EXPECT_EQ(counted(wide), 3 * 3600u);
}

TEST_F(series_source_test, a_tier_that_does_not_reach_back_gives_way_to_one_that_does) {
    fill(0);  // raw hours go once compacted: only the aggregates are left
    const series s = ask(day0, day0 + hour - 1, 10000);
    EXPECT_EQ(s.tier, "1m") << "raw readings wanted, but only minutes reach back";
    EXPECT_EQ(s.resolution(), "1m");
    EXPECT_EQ(s.buckets.size(), 60u);
    EXPECT_EQ(counted(s), 3600u);
}

TEST_F(series_source_test, memory_readings_not_on_disk_yet_join_once) {
    fill(3650LL * 24 * hour);
    series_memory m{"t", {}, -1};
    // The last two disk readings (also in memory) and two the writer has not written yet.
    for (std::int64_t t = day0 + 3 * hour - 2000; t < day0 + 3 * hour + 2000; t += 1000) {
        m.points.push_back({t, static_cast<double>(t / minute % 60)});
    }
    m.held_from = m.points.front().t;
    const series raw = ask(day0 + 3 * hour - 10000, day0 + 3 * hour + 10000, 1000, m);
    EXPECT_EQ(raw.tier, "raw");
    EXPECT_EQ(raw.points.size(), 12u) << "10 from disk, 2 from memory, none twice";
    const series buckets = ask(day0, day0 + 3 * hour + 10000, 4, m);  // 45-minute buckets
    EXPECT_EQ(buckets.tier, "1m");
    EXPECT_EQ(counted(buckets), 3 * 3600u + 2);
}

}  // namespace
}  // namespace sb
