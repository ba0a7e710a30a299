#pragma once
// A run of one sensor's raw points in the compact binary form of the time-tiered history
// (issue 18; docs/ARCHITECTURE.md): the JSON history chunks cost ~45 bytes a point, this ~3 for
// what sensors send. Pure: encode and decode, no SQLite.
//
// Layout (little-endian varints, zigzag for signed):
//   version (1) | count | first t | count-1 delta-of-deltas of t | value block
// The value block is the first of these that holds every value exactly:
//   0 decimal: scale k (0..6), then each value * 10^k as an integer, the first as is and the
//     rest as deltas (21.43, 21.45 -> 2143, +2): sensors send few decimals, so a point's value
//     costs one or two bytes;
//   1 doubles: each value's bits XORed with the previous one's, as a varint (a repeat is 1 byte);
//   2 mixed: a tag per point (number: 8 bytes; false; true; text: length and bytes; the same
//     text as the previous text).
// A decimal value is only written as one when dividing its integer by 10^k gives back the very
// same double, so every form round-trips bit for bit. encode returns the stored form: that, or
// its zstd frame when shorter (persist/zstd_blob.hpp); decode takes either.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/reading.hpp"

namespace sb {

struct chunk_point {
    std::int64_t t = 0;  // ms since the epoch
    reading_value v;
    bool operator==(const chunk_point& o) const;
};

class point_chunk {
public:
    static constexpr std::uint8_t version = 1;
    // Decoding refuses counts above this (a chunk is one sensor's points of one commit or one
    // compaction: far fewer).
    static constexpr std::uint64_t max_points = 1 << 20;

    // zstd: the stored form (the zstd frame when shorter); plain: the encoding alone, for rows
    // that live minutes (a run written before its hour is compacted), where compressing costs
    // the ingest path more than the bytes it saves.
    enum class packing { zstd, plain };
    static std::string encode(const std::vector<chunk_point>& points, packing p = packing::zstd);
    // Appends the chunk's points to out. False, with out as it was, when the bytes are not a
    // whole chunk of this version (truncated, trailing bytes, a count or length past the bytes).
    static bool decode(std::string_view bytes, std::vector<chunk_point>& out);
};

}  // namespace sb
