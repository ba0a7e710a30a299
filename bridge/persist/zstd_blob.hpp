#pragma once
// The time-tiered history's blobs (point_chunk, agg_block) as stored: compressed with zstd
// (Debian's libzstd, level 1) where that makes them smaller, else as encoded. A compressed blob
// is a single zstd frame with its content size and a checksum, recognised by the frame's own magic number (28 B5 2F FD), which no
// encoded chunk starts with (they start with their version byte, 1). On the history of the
// simulator's sensors zstd takes a compacted hour of raw points from ~2 bytes a point to ~0.5
// (runs of equal time steps and small value deltas repeat), minute aggregates by ~30 %.
#include <cstddef>
#include <string>
#include <string_view>

namespace sb::zstd_blob {

// Decompressed blobs larger than this are refused (a corrupt or hostile frame claiming gigabytes):
// far above any chunk the writer makes (an hour of a 100 Hz sensor is ~1 MB encoded).
inline constexpr std::size_t max_plain_bytes = 32u << 20;

// The stored form of `encoded`: its zstd frame when shorter, else `encoded` itself.
std::string pack(std::string encoded);

// The encoded bytes of a stored blob: `stored` itself when it is not a zstd frame, else its
// content decompressed into `scratch`. False when it is a frame but not exactly one whole valid
// frame of at most max_plain_bytes with its size declared.
bool unpack(std::string_view stored, std::string& scratch, std::string_view& encoded);
// The same with a scratch of this thread's own: `encoded` is good until its next call here.
bool unpack(std::string_view stored, std::string_view& encoded);

}  // namespace sb::zstd_blob
