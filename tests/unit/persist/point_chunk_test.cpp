// point_chunk: the compact raw points of the time-tiered history round-trip bit for bit in
// each of their value forms, cost a few bytes a point for what sensors send, and a chunk that
// is not whole is refused without touching the output.
#include "persist/point_chunk.hpp"
#include "persist/zstd_blob.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace sb {
namespace {

std::vector<chunk_point> round_trip(const std::vector<chunk_point>& points) {
    const std::string bytes = point_chunk::encode(points);
    std::vector<chunk_point> back;
    EXPECT_TRUE(point_chunk::decode(bytes, back));
    return back;
}

// The simulator's temperature at 1 Hz: a slow wave with noise, two decimals, timestamps with
// a few ms of jitter.
std::vector<chunk_point> sensor_day(std::size_t n) {
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> jitter(-15, 15);
    std::normal_distribution<double> noise(0, 0.05);
    std::vector<chunk_point> out;
    std::int64_t t = 1795000000000;
    for (std::size_t i = 0; i < n; ++i) {
        t += 1000 + jitter(rng);
        const double v = 21.0 + 3.0 * std::sin(static_cast<double>(i) / 3600.0) + noise(rng);
        char text[32];
        std::snprintf(text, sizeof text, "%.2f", v);  // as the sensor sends it
        out.push_back({t, std::strtod(text, nullptr)});
    }
    return out;
}

TEST(point_chunk, decimals_round_trip_and_cost_a_few_bytes_a_point) {
    const std::vector<chunk_point> points = sensor_day(3600);
    const std::string bytes = point_chunk::encode(points);
    EXPECT_EQ(round_trip(points), points);
    const double per_point = static_cast<double>(bytes.size()) / static_cast<double>(points.size());
    EXPECT_LE(per_point, 4.0) << "bytes per point: " << per_point;
    std::printf("point_chunk: %.2f bytes per point (1 Hz, 2 decimals, 3600 points)\n", per_point);
}

TEST(point_chunk, any_double_round_trips_bit_for_bit) {
    std::vector<chunk_point> points;
    std::int64_t t = -5;
    for (double v : {0.1 + 0.2, -0.0, 0.0, 1e300, -1e-300, 5e-324, std::numeric_limits<double>::max(),
                     std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(), 21.43, 1.0 / 3}) {
        points.push_back({t, v});
        t *= -3;
    }
    EXPECT_EQ(round_trip(points), points);
    const std::vector<chunk_point> negative_zero{{1, -0.0}, {2, 0.5}};
    EXPECT_EQ(round_trip(negative_zero), negative_zero) << "-0 is no decimal 0";
}

TEST(point_chunk, booleans_text_and_mixtures_round_trip) {
    const std::vector<chunk_point> points{{1, true},  {2, false}, {3, std::string("open")}, {4, std::string("open")},
                                          {5, std::string("")}, {6, 21.5}, {7, std::string("open")}, {8, true}};
    EXPECT_EQ(round_trip(points), points);
    const std::vector<chunk_point> doors{{1, true}, {2, false}, {3, true}};
    EXPECT_LE(point_chunk::encode(doors).size(), 3 + 3 + 1 + 3u);
}

TEST(point_chunk, extreme_times_and_counts_round_trip) {
    const std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    const std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    const std::vector<chunk_point> points{{hi, 1.0}, {lo, 2.0}, {0, 3.0}, {hi, 4.0}, {hi, 5.0}};
    EXPECT_EQ(round_trip(points), points);
    EXPECT_EQ(round_trip({}), std::vector<chunk_point>{});
    const std::vector<chunk_point> one{{1795000000000, 7.25}};
    EXPECT_EQ(round_trip(one), one);
}

TEST(point_chunk, what_is_not_a_whole_chunk_is_refused_and_out_is_untouched) {
    const std::string bytes = point_chunk::encode(sensor_day(10));
    std::vector<chunk_point> out{{1, 1.0}};
    for (std::size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(point_chunk::decode(bytes.substr(0, n), out)) << "truncated at " << n;
    }
    EXPECT_FALSE(point_chunk::decode(bytes + "x", out)) << "trailing bytes";
    std::string other_version = bytes;
    other_version[0] = 2;
    EXPECT_FALSE(point_chunk::decode(other_version, out));
    EXPECT_FALSE(point_chunk::decode(std::string("\x01\xff\xff\xff\xff\x0f", 6), out)) << "a count past the bytes";
    EXPECT_EQ(out.size(), 1u);
    EXPECT_TRUE(point_chunk::decode(bytes, out));
    EXPECT_EQ(out.size(), 11u) << "appended";
}

TEST(point_chunk, a_chunk_zstd_makes_smaller_is_stored_as_one_zstd_frame) {
    // An hour of a 1 Hz sensor reporting on the second: its time steps and value deltas repeat.
    std::vector<chunk_point> points;
    for (int i = 0; i < 3600; ++i) points.push_back({1795000000000 + i * 1000LL, 21.0 + (i / 60 % 10) / 10.0});
    const std::string stored = point_chunk::encode(points);
    ASSERT_GE(stored.size(), 4u);
    EXPECT_EQ(stored.substr(0, 4), std::string("\x28\xb5\x2f\xfd", 4)) << "zstd's frame magic";
    EXPECT_LT(stored.size(), points.size() / 4) << "under a quarter of a byte a point";
    EXPECT_EQ(round_trip(points), points);
    // Jittered times and noisy values (sensor_day) still gain.
    const std::vector<chunk_point> day = sensor_day(3600);
    EXPECT_LT(point_chunk::encode(day).size(), 1.6 * 3600);
    // A few points stay as encoded: a frame would not be shorter.
    EXPECT_EQ(point_chunk::encode({{1, 1.5}, {2, 2.5}})[0], '\x01');
}

TEST(point_chunk, a_frame_that_is_not_exactly_one_whole_bounded_frame_is_refused) {
    std::vector<chunk_point> points;
    for (int i = 0; i < 3600; ++i) points.push_back({i * 1000LL, static_cast<double>(i % 7)});
    const std::string stored = point_chunk::encode(points);
    ASSERT_EQ(stored[0], '\x28');
    std::vector<chunk_point> out{{1, 1.0}};
    for (std::size_t n : {std::size_t{4}, stored.size() / 2, stored.size() - 1}) {
        EXPECT_FALSE(point_chunk::decode(stored.substr(0, n), out)) << "truncated at " << n;
    }
    EXPECT_FALSE(point_chunk::decode(stored + stored, out)) << "two frames";
    EXPECT_FALSE(point_chunk::decode(stored + "x", out)) << "trailing bytes";
    std::string flipped = stored;
    flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
    EXPECT_FALSE(point_chunk::decode(flipped, out)) << "a damaged frame (its checksum or its chunk)";
    EXPECT_EQ(out.size(), 1u);
    // A frame whose content is past the bound is not decompressed at all.
    const std::string huge = zstd_blob::pack(std::string(zstd_blob::max_plain_bytes + 1, '\0'));
    ASSERT_LT(huge.size(), 4096u);
    std::string scratch;
    std::string_view encoded;
    EXPECT_FALSE(zstd_blob::unpack(huge, scratch, encoded));
    EXPECT_TRUE(scratch.empty());
    EXPECT_FALSE(point_chunk::decode(huge, out));
}

}  // namespace
}  // namespace sb
