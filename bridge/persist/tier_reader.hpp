#pragma once
// Reading the time-tiered history (tier_table.hpp) back for series queries: a sensor's raw
// points over a range, or its minute or hour aggregates, with the points its open rows still
// hold (not compacted yet) aggregated on the fly, so an answer never lacks the current hour.
// On any connection to the file (history_reader gives it its own); no threads here.
#include <cstdint>
#include <string>
#include <vector>

#include "persist/point_chunk.hpp"
#include "persist/sqlite_handles.hpp"
#include "persist/tier_agg.hpp"

namespace sb {

struct tier_slice {
    // Aggregates at the tier's width (numbers), oldest first, one per bucket.
    std::vector<agg_entry> entries;
    // A boolean or text sensor's changes (and raw points for the raw tier), oldest first.
    std::vector<chunk_point> points;
};

class tier_reader {
public:
    // Prepares its statements on db (schema created). Throws store_error.
    explicit tier_reader(sqlite3* db);

    // The sensor's raw points with from <= t <= to, sorted by t (stable). False on a database
    // error (a damaged row is skipped and logged instead).
    bool raw(const std::string& sensor_id, std::int64_t from, std::int64_t to, std::vector<chunk_point>& out);
    // At least the number of the sensor's raw points with from <= t <= to: those of every hour
    // the range touches (from the rows' counts, nothing decoded). -1 on a database error.
    std::int64_t raw_count_bound(const std::string& sensor_id, std::int64_t from, std::int64_t to);
    // The sensor's buckets of the tier (tier_table::minute_tier or hour_tier) whose start lies
    // in [bucket_start(from), to], with the raw points of hours not compacted yet aggregated into
    // them; change points of non-numeric windows with from <= t <= to.
    bool aggregates(const std::string& sensor_id, int tier, std::int64_t from, std::int64_t to, tier_slice& out);
    // The start of the oldest hour (raw, minute tier) or day (hour tier) held for the sensor;
    // -1: none.
    std::int64_t oldest(const std::string& sensor_id, int tier);

private:
    bool decode_rows(sqlite3_stmt* s, const std::string& sensor_id, int blob_column, std::vector<chunk_point>& out);

    stmt_ptr raw_rows_, raw_count_, open_rows_, agg_rows_, oldest_raw_, oldest_agg_;
};

}  // namespace sb
