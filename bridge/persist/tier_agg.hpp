#pragma once
// The aggregate tiers of the time-tiered history (issue 18; docs/ARCHITECTURE.md): raw points
// summed up into minute buckets, minutes into hours, so a day or a year of a sensor is read
// without its raw points. Pure: bucketing, merging and the compact binary form, no SQLite.
//
// Block layout (little-endian varints, zigzag for signed, all time and count arithmetic
// wrapping so any int64 round-trips):
//   version (1) | count | [count > 0: first t | time unit | columns]
// The time columns hold a varint per entry, each a delta from the previous entry's:
//   t / unit  (from the second entry; the unit is the largest step all entries' t are apart: a
//             minute for minutes, so consecutive buckets cost a byte), t_first - t,
//   t_last - t_first, count;
// then min, max, first, last and sum, each a form byte and one or two varints an entry:
//   0..6 decimal at scale k: each value * 10^k as an integer delta (21.43, 21.45 -> +2);
//   7 doubles: each value's bits XORed with the previous one's;
//   8..14 patched decimal at scale k - 8: the delta of the nearest decimal, shifted left, its
//     low bit set when the XOR of the value's bits with that decimal's follows (a sum of
//     two-decimal readings is now and then the double next to its decimal: a byte more).
// Each column is written in whichever form is shortest for it. A decimal is only written as one
// when it divides back to the very same double, so every form round-trips bit for bit.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "persist/point_chunk.hpp"

namespace sb {

struct agg_entry {
    std::int64_t t = 0;                    // bucket start, ms since the epoch (a multiple of the width used)
    std::int64_t t_first = 0, t_last = 0;  // times of the bucket's first and last reading
    std::uint64_t count = 0;
    double min = 0, max = 0, sum = 0, first = 0, last = 0;  // first/last: values at t_first/t_last

    double mean() const noexcept { return count ? sum / static_cast<double>(count) : 0; }
    // Combines two buckets' data, in either order of time: counts and sums add, min and max,
    // first from the earlier t_first (a tie keeps this one's), last from the later t_last (a tie
    // takes o's), t the smaller. An empty entry (count 0) holds no data: merging one in only
    // moves t, and merging into one takes o's data.
    void merge(const agg_entry& o);
    // Every field, doubles with == (so NaN differs from itself and -0 equals 0).
    bool operator==(const agg_entry& o) const;
};

// t rounded down to a multiple of width_ms (towards minus infinity, also for negative t).
// A width below 1 counts as 1. Where that multiple is below INT64_MIN (t within one width of
// it), INT64_MIN.
std::int64_t bucket_start(std::int64_t t, std::int64_t width_ms);

// True when every point's value is a number (double). Empty: true.
bool all_numbers(const std::vector<chunk_point>& points);

// One entry per non-empty bucket of width_ms, sorted by t. points: numbers only (others are
// skipped), any order; sorted by t first (stable: equal times keep their input order, so the
// last of them is the bucket's last).
std::vector<agg_entry> aggregate(std::vector<chunk_point> points, std::int64_t width_ms);

// Entries of a finer width (sorted by t; stable-sorted here anyway) merged into buckets of
// width_ms, each placed by its t, sorted by t. Empty entries are dropped. Sums are added with
// compensation, so an hour made of its minutes has the sum aggregate() gives for its points.
std::vector<agg_entry> rebucket(const std::vector<agg_entry>& in, std::int64_t width_ms);

// points in any order: sorted by t (stable), then only those whose value differs from the
// previous point's (the first is always kept; numbers compare bit for bit). For booleans and
// text history: a door that opened twice costs 2-4 points.
std::vector<chunk_point> changes(std::vector<chunk_point> points);

// The compact binary form of a run of entries (one sensor, one window: e.g. up to 60 minute
// entries of an hour, or 24 hour entries of a day). Sorted runs are smallest; any run
// round-trips bit for bit (doubles included: NaN payloads, -0, infinities).
class agg_block {
public:
    static constexpr std::uint8_t version = 1;
    // Decoding refuses counts above this (a block is one window of one sensor: far fewer).
    static constexpr std::uint64_t max_entries = 1 << 16;

    static std::string encode(const std::vector<agg_entry>& entries);
    // Appends the block's entries to out. False, with out as it was, when the bytes are not
    // exactly one whole block of this version (truncated, trailing bytes, a count past the
    // bytes or above max_entries, an unknown form).
    static bool decode(std::string_view bytes, std::vector<agg_entry>& out);
};

}  // namespace sb
