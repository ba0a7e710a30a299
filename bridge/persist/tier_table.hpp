#pragma once
// The SQLite tables of the time-tiered history (docs/ARCHITECTURE.md, "History tiers"):
//   tier_raw  one sensor's raw points of one UTC hour, as a point_chunk blob. The writer appends
//             a row per sensor per commit (compact = 0); once the hour has closed, compaction
//             merges the hour's rows into one (compact = 1, two or so bytes a point) and derives
//             the aggregates below from them.
//   tier_agg  tier 1: one sensor's minute aggregates of one hour (start = the hour), tier 2: its
//             hour aggregates of one UTC day (start = the day), as an agg_block blob (kind 0);
//             for a sensor whose values are not all numbers, its changes as a point_chunk
//             (kind 1): a door that opened twice costs four points, not 3 600.
//   tier_mark the highest seq of each sensor whose point is in tier_raw. The writer holds a
//             sensor's points in memory until it has a run of them (tier_writer.hpp, "buffer"),
//             while the --history-depth rows keep them durable; after a crash, history rows above
//             the mark are the points still to write.
// Times are ms since the epoch; hours and days are UTC. Only tier_writer and tier_reader use it.
namespace sb::tier_table {

inline constexpr long long hour_ms = 3600LL * 1000;
inline constexpr long long day_ms = 24 * hour_ms;
inline constexpr long long minute_ms = 60LL * 1000;
enum tier : int { raw_tier = 0, minute_tier = 1, hour_tier = 2 };
enum kind : int { aggregates_kind = 0, changes_kind = 1 };

extern const char* const schema_sql;

}  // namespace sb::tier_table
