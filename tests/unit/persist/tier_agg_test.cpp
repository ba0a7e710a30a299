// tier_agg: the minute and hour aggregates of the time-tiered history bucket by floor (negative
// times too), keep first and last by time whatever the input order, give an hour of minutes the
// same figures as the hour's raw points, and their compact blocks round-trip bit for bit, cost
// a few bytes an entry and are refused when not whole, without touching the output.
#include "persist/tier_agg.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace sb {
namespace {

constexpr std::int64_t minute = 60000;
constexpr std::int64_t hour = 3600000;
constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
constexpr double inf = std::numeric_limits<double>::infinity();

std::uint64_t bits(double d) {
    std::uint64_t b = 0;
    std::memcpy(&b, &d, sizeof b);
    return b;
}

// operator== compares doubles with ==; a round trip must keep -0 and NaN bits too.
bool same_bits(const agg_entry& a, const agg_entry& b) {
    return a.t == b.t && a.t_first == b.t_first && a.t_last == b.t_last && a.count == b.count &&
           bits(a.min) == bits(b.min) && bits(a.max) == bits(b.max) && bits(a.sum) == bits(b.sum) &&
           bits(a.first) == bits(b.first) && bits(a.last) == bits(b.last);
}

::testing::AssertionResult round_trips(const std::vector<agg_entry>& entries) {
    const std::string bytes = agg_block::encode(entries);
    std::vector<agg_entry> back;
    if (!agg_block::decode(bytes, back)) return ::testing::AssertionFailure() << "its own encoding refused";
    if (back.size() != entries.size()) return ::testing::AssertionFailure() << back.size() << " entries back";
    for (std::size_t i = 0; i < entries.size(); ++i) {
        if (!same_bits(back[i], entries[i])) return ::testing::AssertionFailure() << "entry " << i << " differs";
    }
    return ::testing::AssertionSuccess();
}

agg_entry entry(std::int64_t t, std::int64_t t_first, std::int64_t t_last, std::uint64_t count, double min,
                double max, double sum, double first, double last) {
    return agg_entry{t, t_first, t_last, count, min, max, sum, first, last};
}

// A simulated 1 Hz temperature as the sensor sends it: two decimals, a slow wave with noise,
// each reading a few ms off its second (receive-time jitter), from just after an hour starts.
std::vector<chunk_point> sensor(std::size_t n, std::uint32_t seed = 11) {
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> jitter(-15, 15);
    std::normal_distribution<double> noise(0, 0.05);
    std::vector<chunk_point> out;
    const std::int64_t start = 1795000000000 / hour * hour + 200;
    for (std::size_t i = 0; i < n; ++i) {
        const double v = 21.0 + 3.0 * std::sin(static_cast<double>(i) / 3600.0) + noise(rng);
        char text[32];
        std::snprintf(text, sizeof text, "%.2f", v);
        out.push_back({start + static_cast<std::int64_t>(i) * 1000 + jitter(rng), std::strtod(text, nullptr)});
    }
    return out;
}

TEST(TierAggBucket, floors_to_the_width_also_below_zero) {
    EXPECT_EQ(bucket_start(0, minute), 0);
    EXPECT_EQ(bucket_start(59999, minute), 0);
    EXPECT_EQ(bucket_start(60000, minute), 60000);
    EXPECT_EQ(bucket_start(60001, minute), 60000);
    EXPECT_EQ(bucket_start(-1, minute), -60000);
    EXPECT_EQ(bucket_start(-60000, minute), -60000);
    EXPECT_EQ(bucket_start(-60001, minute), -120000);
    EXPECT_EQ(bucket_start(1795000123456, hour), 1794999600000);
    EXPECT_EQ(bucket_start(hi, minute), hi - hi % minute);
    EXPECT_EQ(bucket_start(lo + 1, 2), lo) << "a representable floor";
    EXPECT_EQ(bucket_start(lo, minute), lo) << "the floor is past INT64_MIN: clamped";
    EXPECT_EQ(bucket_start(123, 0), 123) << "a width below 1 counts as 1";
    EXPECT_EQ(bucket_start(-123, -5), -123);
}

TEST(TierAggAggregate, one_entry_per_non_empty_bucket_sorted) {
    const std::vector<chunk_point> points{{120500, 4.0}, {-1, 1.5},         {0, 2.0},      {59999, 3.0},
                                          {-60000, 1.0}, {60000, true},     {60001, std::string("x")}};
    const std::vector<agg_entry> got = aggregate(points, minute);
    const std::vector<agg_entry> want{entry(-60000, -60000, -1, 2, 1.0, 1.5, 2.5, 1.0, 1.5),
                                      entry(0, 0, 59999, 2, 2.0, 3.0, 5.0, 2.0, 3.0),
                                      entry(120000, 120500, 120500, 1, 4.0, 4.0, 4.0, 4.0, 4.0)};
    EXPECT_EQ(got, want) << "the minute at 60000 has only a bool and a text: no entry";
    ASSERT_EQ(got.size(), 3u);
    EXPECT_DOUBLE_EQ(got[1].mean(), 2.5);
    EXPECT_EQ(agg_entry{}.mean(), 0.0);
    EXPECT_TRUE(aggregate({}, minute).empty());
    EXPECT_TRUE(aggregate({{1, false}}, minute).empty());
}

TEST(TierAggAggregate, first_and_last_follow_time_and_ties_keep_input_order) {
    const std::vector<chunk_point> points{{50, 9.0}, {10, 5.0}, {10, 6.0}, {50, 7.0}, {30, -2.0}, {50, 8.0}};
    const std::vector<agg_entry> got = aggregate(points, minute);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0], entry(0, 10, 50, 6, -2.0, 9.0, 33.0, 5.0, 8.0))
        << "first: the first of the two at t=10; last: the last given of the three at t=50";
}

TEST(TierAggMerge, keeps_first_and_last_by_time_in_either_order) {
    const agg_entry early = entry(0, 100, 200, 2, 1.0, 3.0, 4.0, 3.0, 1.0);
    const agg_entry late = entry(60000, 60100, 60200, 3, -1.0, 2.0, 3.0, 2.0, -1.0);
    const agg_entry both = entry(0, 100, 60200, 5, -1.0, 3.0, 7.0, 3.0, -1.0);
    agg_entry a = early;
    a.merge(late);
    EXPECT_EQ(a, both);
    agg_entry b = late;
    b.merge(early);
    EXPECT_EQ(b, both);
}

TEST(TierAggMerge, ties_keep_this_first_and_take_the_other_last) {
    agg_entry a = entry(0, 10, 20, 1, 1.0, 1.0, 1.0, 1.0, 1.0);
    a.merge(entry(0, 10, 20, 1, 2.0, 2.0, 2.0, 2.0, 2.0));
    EXPECT_EQ(a.first, 1.0);
    EXPECT_EQ(a.last, 2.0);
    EXPECT_EQ(a.count, 2u);
}

TEST(TierAggMerge, an_empty_entry_holds_no_data) {
    const agg_entry data = entry(60000, 60005, 60009, 2, 5.0, 6.0, 11.0, 6.0, 5.0);
    agg_entry a = data;
    a.merge(agg_entry{});
    EXPECT_EQ(a, entry(0, 60005, 60009, 2, 5.0, 6.0, 11.0, 6.0, 5.0)) << "only t moves: min of both";
    agg_entry empty;
    empty.t = 120000;
    empty.merge(data);
    EXPECT_EQ(empty, data);
}

TEST(TierAggRebucket, minutes_of_an_hour_give_the_hour_of_the_raw_points) {
    const std::vector<chunk_point> points = sensor(7200);  // two hours
    const std::vector<agg_entry> minutes = aggregate(points, minute);
    EXPECT_EQ(minutes.size(), 120u);
    const std::vector<agg_entry> from_minutes = rebucket(minutes, hour);
    const std::vector<agg_entry> from_points = aggregate(points, hour);
    ASSERT_EQ(from_points.size(), 2u);
    ASSERT_EQ(from_minutes.size(), from_points.size());
    for (std::size_t i = 0; i < from_points.size(); ++i) {
        agg_entry a = from_minutes[i];
        const agg_entry& b = from_points[i];
        EXPECT_DOUBLE_EQ(a.sum, b.sum);
        a.sum = b.sum;
        EXPECT_EQ(a, b) << "hour " << i;
        EXPECT_EQ(a.t % hour, 0);
    }
    EXPECT_EQ(from_points[0].count + from_points[1].count, 7200u);
}

TEST(TierAggRebucket, sorts_and_drops_empty_entries) {
    const agg_entry m1 = entry(hour + minute, hour + minute + 5, hour + minute + 9, 2, 1.0, 2.0, 3.0, 1.0, 2.0);
    const agg_entry m0 = entry(hour, hour + 1, hour + 2, 1, 7.0, 7.0, 7.0, 7.0, 7.0);
    const agg_entry m9 = entry(-minute, -minute + 3, -minute + 4, 1, 0.5, 0.5, 0.5, 0.5, 0.5);
    agg_entry empty;
    empty.t = 5 * hour;
    const std::vector<agg_entry> got = rebucket({m1, empty, m0, m9}, hour);
    const std::vector<agg_entry> want{entry(-hour, -minute + 3, -minute + 4, 1, 0.5, 0.5, 0.5, 0.5, 0.5),
                                      entry(hour, hour + 1, hour + minute + 9, 3, 1.0, 7.0, 10.0, 7.0, 2.0)};
    EXPECT_EQ(got, want);
    EXPECT_TRUE(rebucket({}, hour).empty());
}

TEST(TierAggChanges, keeps_only_values_that_differ_from_the_previous) {
    const std::vector<chunk_point> door{{5, false}, {1, false}, {2, true}, {3, true}, {4, false}, {6, true}};
    EXPECT_EQ(changes(door), (std::vector<chunk_point>{{1, false}, {2, true}, {4, false}, {6, true}}));
    const std::vector<chunk_point> text{{1, std::string("idle")}, {2, std::string("idle")}, {3, std::string("run")},
                                        {3, std::string("idle")}, {4, std::string("idle")}};
    EXPECT_EQ(changes(text), (std::vector<chunk_point>{{1, std::string("idle")}, {3, std::string("run")},
                                                       {3, std::string("idle")}}))
        << "equal times keep their input order";
    const std::vector<chunk_point> numbers{{1, 1.0}, {2, 1.0}, {3, true}, {4, 1.0}, {5, 0.0}, {6, -0.0}};
    EXPECT_EQ(changes(numbers), (std::vector<chunk_point>{{1, 1.0}, {3, true}, {4, 1.0}, {5, 0.0}, {6, -0.0}}))
        << "a kind change is a change; -0 differs from 0 bit for bit";
    EXPECT_TRUE(changes({}).empty());
}

TEST(TierAggAllNumbers, is_true_only_when_every_value_is_a_double) {
    EXPECT_TRUE(all_numbers({}));
    EXPECT_TRUE(all_numbers({{1, 1.0}, {2, -0.0}}));
    EXPECT_FALSE(all_numbers({{1, 1.0}, {2, true}}));
    EXPECT_FALSE(all_numbers({{1, std::string("1.0")}}));
}

TEST(TierAggBlock, minute_entries_of_a_sensor_cost_a_few_bytes_each) {
    const std::vector<agg_entry> minutes = aggregate(sensor(3600), minute);
    ASSERT_EQ(minutes.size(), 60u);
    EXPECT_TRUE(round_trips(minutes));
    const double per_entry = static_cast<double>(agg_block::encode(minutes).size()) / 60.0;
    EXPECT_LE(per_entry, 12.0) << "bytes per minute entry: " << per_entry;
    std::printf("tier_agg: %.2f bytes per minute entry (1 Hz, 2 decimals, 60 entries)\n", per_entry);

    const std::vector<agg_entry> hours = aggregate(sensor(86400, 3), hour);
    ASSERT_EQ(hours.size(), 24u);
    EXPECT_TRUE(round_trips(hours));
    const double per_hour = static_cast<double>(agg_block::encode(hours).size()) / 24.0;
    EXPECT_LE(per_hour, 18.0) << "bytes per hour entry: " << per_hour;
    std::printf("tier_agg: %.2f bytes per hour entry (1 Hz, 2 decimals, 24 entries)\n", per_hour);
}

TEST(TierAggBlock, a_sum_next_to_its_decimal_costs_little) {
    std::vector<agg_entry> entries = aggregate(sensor(3600), minute);
    for (agg_entry& e : entries) e.sum = std::nearbyint(e.sum * 100) / 100;  // all exact decimals
    const std::size_t decimal = agg_block::encode(entries).size();
    entries[7].sum = std::nextafter(entries[7].sum, inf);
    entries[40].sum = std::nextafter(entries[40].sum, -inf);
    EXPECT_TRUE(round_trips(entries));
    EXPECT_LE(agg_block::encode(entries).size(), decimal + 24) << "the doubles form would cost ~6 bytes an entry more";
}

TEST(TierAggBlock, any_double_round_trips_bit_for_bit) {
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double max = std::numeric_limits<double>::max();
    EXPECT_TRUE(round_trips({entry(0, 1, 2, 3, 0.1 + 0.2, 1.0 / 3, 0.1 + 0.2 + 0.3, -0.0, 5e-324)}));
    EXPECT_TRUE(round_trips({entry(0, 0, 0, 1, -inf, inf, inf, -inf, inf),
                             entry(minute, minute, minute, 1, -max, max, 1e300, -1e-300, nan)}));
    EXPECT_TRUE(round_trips({entry(0, 0, 0, 2, -0.0, 0.0, -0.0, 0.0, -0.0)})) << "-0 is no decimal 0";
    EXPECT_TRUE(round_trips({entry(-hour, -hour + 1, -hour + 2, 2, -21.43, -3.5, -24.93, -21.43, -3.5),
                             entry(0, 7, 8, 2, -1e15, 9e15, 8e15, 9e15, -1e15)}));
    EXPECT_TRUE(round_trips({entry(0, 0, 0, 1, 1.0 / 7, 1e-7, 12345.678901, 0.000001, 1e6)}))
        << "decimal scales up to 6, past that doubles";
}

TEST(TierAggBlock, empty_single_unsorted_and_extreme_runs_round_trip) {
    EXPECT_TRUE(round_trips({}));
    EXPECT_EQ(agg_block::encode({}).size(), 2u);
    EXPECT_TRUE(round_trips({entry(1795000020000, 1795000020005, 1795000079990, 60, 21.1, 21.5, 1276.2, 21.2, 21.4)}));
    EXPECT_TRUE(round_trips({agg_entry{}, agg_entry{}})) << "count 0 entries";
    EXPECT_TRUE(round_trips({entry(hour, hour + 1, hour + 2, 1, 1, 1, 1, 1, 1), entry(0, 5, 3, 1, 2, 2, 2, 2, 2),
                             entry(hour, hour, hour, 7, 3, 3, 3, 3, 3)}))
        << "unsorted and repeated t, t_last before t_first";
    EXPECT_TRUE(round_trips({entry(hi, lo, hi, ~std::uint64_t{0}, 1, 1, 1, 1, 1), entry(lo, hi, lo, 0, 2, 2, 2, 2, 2),
                             entry(0, lo, lo, 1, 3, 3, 3, 3, 3), entry(lo, lo, hi, 1, 4, 4, 4, 4, 4)}));
    EXPECT_TRUE(round_trips({entry(lo, lo, lo, 1, 1, 1, 1, 1, 1), entry(0, 0, 0, 1, 1, 1, 1, 1, 1)}))
        << "a step of 2^63 ms";
}

TEST(TierAggBlock, max_entries_round_trip_and_one_more_is_refused) {
    std::vector<agg_entry> entries(agg_block::max_entries);
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto t = static_cast<std::int64_t>(i) * minute;
        entries[i] = entry(t, t + 3, t + 59000, 60, 1.25, 2.5, 99.75, 2.0, 1.5);
    }
    EXPECT_TRUE(round_trips(entries));
    entries.push_back(entries.back());
    std::vector<agg_entry> out;
    EXPECT_FALSE(agg_block::decode(agg_block::encode(entries), out));
    EXPECT_TRUE(out.empty());
}

// A block of one all-zero entry: header, t, unit 1, its three time columns, min's form and
// varint, then the other four value columns as decimal zeros.
std::string one_entry(char min_form, char min_value) {
    return std::string("\x01\x01\x00\x01\x00\x00\x00", 7) + min_form + min_value + std::string(8, '\0');
}

// A block of n all-zero entries: t 0, unit 1, then every column zeros (value forms decimal 0).
std::string zero_entries(std::uint64_t n) {
    std::string out("\x01", 1);
    for (std::uint64_t v = n; ; v >>= 7) {  // the count as a varint
        out.push_back(static_cast<char>(v >= 0x80 ? (v & 0x7f) | 0x80 : v));
        if (v < 0x80) break;
    }
    out += std::string("\x00\x01", 2);
    return out + std::string((n - 1) + 3 * n + 5 * (1 + n), '\0');
}

TEST(TierAggBlock, what_is_not_one_whole_block_is_refused_and_out_is_untouched) {
    const std::string bytes = agg_block::encode(aggregate(sensor(600), minute));
    const agg_entry kept = entry(1, 2, 3, 4, 5, 6, 7, 8, 9);
    std::vector<agg_entry> out{kept};
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(agg_block::decode(bytes.substr(0, n), out)) << "truncated at " << n;
    }
    EXPECT_FALSE(agg_block::decode(bytes + '\0', out)) << "trailing bytes";
    EXPECT_FALSE(agg_block::decode(agg_block::encode({}) + '\0', out)) << "trailing bytes after no entries";
    std::string other_version = bytes;
    other_version[0] = 2;
    EXPECT_FALSE(agg_block::decode(other_version, out));
    EXPECT_FALSE(agg_block::decode(zero_entries(agg_block::max_entries + 1), out)) << "past max_entries";
    std::vector<agg_entry> most;
    EXPECT_TRUE(agg_block::decode(zero_entries(agg_block::max_entries), most));
    EXPECT_EQ(most.size(), agg_block::max_entries);
    EXPECT_FALSE(agg_block::decode(std::string("\x01\x05\x00\x01\x00", 5), out)) << "a count past the bytes";
    EXPECT_FALSE(agg_block::decode(std::string("\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x00", 12), out))
        << "a time unit of 0";
    EXPECT_FALSE(agg_block::decode(one_entry('\x0f', '\x00'), out)) << "value form 15 is unknown";
    EXPECT_FALSE(agg_block::decode(one_entry('\x08', '\x01'), out)) << "a patch flagged but missing";
    ASSERT_EQ(out.size(), 1u);
    EXPECT_TRUE(same_bits(out[0], kept));

    EXPECT_TRUE(agg_block::decode(one_entry('\x07', '\x00'), out)) << "the same with form 7 is a whole block";
    EXPECT_TRUE(agg_block::decode(bytes, out));
    EXPECT_EQ(out.size(), 2u + 10u) << "appended";
    EXPECT_TRUE(same_bits(out[0], kept));
}

}  // namespace
}  // namespace sb
