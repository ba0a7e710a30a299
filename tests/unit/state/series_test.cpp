// make_series: a range of readings, raw when they fit, else buckets whose min and max keep the
// spikes, placed by the readings' own timestamps (docs/PROTOCOL.md §6, "Series").
#include "state/series.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb {
namespace {

std::vector<series_point> ramp(std::int64_t from, std::int64_t step, int n) {
    std::vector<series_point> out;
    for (int i = 0; i < n; ++i) out.push_back({from + i * step, reading_value(static_cast<double>(i))});
    return out;
}

TEST(series, readings_that_fit_come_back_raw_oldest_first_and_only_inside_the_range) {
    std::vector<series_point> points{{30, 3.0}, {10, 1.0}, {20, 2.0}, {5, 0.5}, {40, 4.0}};
    const series s = make_series(points, 10, 30, 10);
    EXPECT_EQ(s.resolution(), "raw");
    ASSERT_EQ(s.points.size(), 3u);
    EXPECT_EQ(s.points[0].t, 10);  // a back-filled reading lands where its time says
    EXPECT_EQ(s.points[1].t, 20);
    EXPECT_EQ(s.points[2].t, 30);  // both ends included
    EXPECT_TRUE(s.buckets.empty());
}

TEST(series, more_readings_than_max_points_become_buckets_that_keep_the_spike) {
    std::vector<series_point> points = ramp(0, 1000, 100);  // 0..99 at 1 s
    points[57].v = 1000.0;                                  // a spike
    const series s = make_series(points, 0, 100000, 10);
    EXPECT_EQ(s.bucket_ms, 10000);
    EXPECT_EQ(s.resolution(), "10000ms");
    ASSERT_EQ(s.buckets.size(), 10u);
    EXPECT_TRUE(s.points.empty());
    const series_bucket& b = s.buckets[5];  // readings 50..59
    EXPECT_EQ(b.t, 50000);
    EXPECT_EQ(b.count, 10u);
    EXPECT_EQ(b.min, 50.0);
    EXPECT_EQ(b.max, 1000.0);
    EXPECT_EQ(b.last, 59.0);
    EXPECT_DOUBLE_EQ(b.mean, (50 + 51 + 52 + 53 + 54 + 55 + 56 + 1000 + 58 + 59) / 10.0);
    EXPECT_DOUBLE_EQ(s.buckets[0].mean, 4.5);
}

TEST(series, empty_buckets_are_left_out_and_widths_round_up) {
    std::vector<series_point> points{{0, 1.0}, {1, 2.0}, {2, 3.0}, {9, 4.0}};
    const series s = make_series(points, 0, 10, 3);  // 10 ms in 3 buckets: 4 ms each
    EXPECT_EQ(s.bucket_ms, 4);
    ASSERT_EQ(s.buckets.size(), 2u);  // [0,4), [4,8) empty, [8,10]
    EXPECT_EQ(s.buckets[0].count, 3u);
    EXPECT_EQ(s.buckets[1].t, 8);
    EXPECT_EQ(s.buckets[1].last, 4.0);
}

TEST(series, booleans_and_text_keep_the_last_value_of_each_bucket) {
    std::vector<series_point> points{{0, true}, {1, false}, {5, true}, {6, std::string("x")}, {7, false}};
    const series s = make_series(points, 0, 7, 2);
    EXPECT_EQ(s.bucket_ms, 4);
    EXPECT_TRUE(s.buckets.empty());
    ASSERT_EQ(s.points.size(), 2u);
    EXPECT_EQ(s.points[0].t, 0);
    EXPECT_EQ(s.points[0].v, reading_value(false));
    EXPECT_EQ(s.points[1].t, 4);
    EXPECT_EQ(s.points[1].v, reading_value(false));
}

TEST(series, the_end_of_the_range_falls_in_the_last_bucket) {
    std::vector<series_point> points{{0, 1.0}, {50, 2.0}, {100, 3.0}};
    const series s = make_series(points, 0, 100, 2);  // 50 ms each: [0,50), [50,100]
    ASSERT_EQ(s.buckets.size(), 2u);
    EXPECT_EQ(s.buckets[1].count, 2u);
    EXPECT_EQ(s.buckets[1].last, 3.0);
}

TEST(series, extreme_ranges_do_not_overflow) {
    std::vector<series_point> points = ramp(0, 1, 5);
    const series s = make_series(points, 0, 253402300799999, 2);
    ASSERT_EQ(s.buckets.size(), 1u);
    EXPECT_EQ(s.buckets[0].count, 5u);
    EXPECT_GT(s.bucket_ms, 0);
}

}  // namespace
}  // namespace sb
