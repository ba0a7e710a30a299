#pragma once
// A sensor's readings over a time range, chart-sized (docs/PROTOCOL.md §6, "Series"): the raw
// points when they fit in max_points, else equal-width buckets with min, max, mean, count and
// last, so a spike survives the decimation. Placed by the readings' own timestamps. Pure.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/reading.hpp"

namespace sb {

struct series_point {
    std::int64_t t = 0;  // the reading's timestamp, ms since the epoch
    reading_value v;
};

struct series_bucket {
    std::int64_t t = 0;  // the bucket's start
    double min = 0, max = 0, mean = 0, last = 0;
    std::uint64_t count = 0;
};

struct series {
    std::int64_t bucket_ms = 0;  // 0: raw points
    // Where the answer comes from: "raw" (readings), "1m" or "1h" (the aggregate tiers, whose
    // buckets are whole minutes or hours: bucket_ms a multiple of the tier's).
    std::string tier = "raw";
    std::int64_t held_from = -1;  // the oldest time the answer's source holds for the sensor
    // Raw points; when bucketed and the sensor's values are not all numbers (a door, a mode),
    // the last value of each bucket that has one, at the bucket's start.
    std::vector<series_point> points;
    std::vector<series_bucket> buckets;  // numbers, when bucketed
    // "raw", "1m" or "1h" (a tier's own buckets), or "<N>ms" (the bucket width).
    std::string resolution() const {
        if (bucket_ms == 0) return "raw";
        if ((tier == "1m" && bucket_ms == 60000) || (tier == "1h" && bucket_ms == 3600000)) return tier;
        return std::to_string(bucket_ms) + "ms";
    }
};

// points: a sensor's kept readings in any order (history is in seq order; a late or
// back-filled reading's timestamp may be earlier than its predecessor's). Those with
// from <= t <= to make the series, oldest first (equal times keep their order). With more than
// max_points of them (max_points >= 1), the range is cut into at most max_points buckets of
// ceil((to - from) / max_points) ms (at least 1), `to` itself in the last; empty buckets are
// left out.
series make_series(std::vector<series_point> points, std::int64_t from, std::int64_t to, std::size_t max_points);

}  // namespace sb
