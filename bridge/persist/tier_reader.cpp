#include "persist/tier_reader.hpp"

#include <sqlite3.h>

#include <algorithm>

#include "core/log.hpp"
#include "core/time_order.hpp"
#include "persist/latest_table.hpp"
#include "persist/store_error.hpp"
#include "persist/tier_table.hpp"

namespace sb {
namespace {

using namespace tier_table;



void keep_range(std::vector<chunk_point>& points, std::int64_t from, std::int64_t to) {
    points.erase(std::remove_if(points.begin(), points.end(), [&](const chunk_point& p) { return p.t < from || p.t > to; }),
                 points.end());
    sort_by_time(points);
}

std::int64_t width_of(int tier) { return tier == hour_tier ? hour_ms : minute_ms; }
std::int64_t window_of(int tier) { return tier == hour_tier ? day_ms : hour_ms; }

}  // namespace

tier_reader::tier_reader(sqlite3* db)
    : raw_rows_(prepare_persistent(db, "SELECT points FROM tier_raw WHERE sensor_id = ?1 AND hour >= ?2 AND hour <= ?3")),
      raw_count_(prepare_persistent(db, "SELECT coalesce(sum(point_count), 0) FROM tier_raw WHERE sensor_id = ?1"
                             " AND hour >= ?2 AND hour <= ?3")),
      open_rows_(prepare_persistent(db, "SELECT points FROM tier_raw WHERE sensor_id = ?1 AND hour >= ?2 AND hour <= ?3"
                             " AND compact = 0")),
      agg_rows_(prepare_persistent(db, "SELECT kind, data FROM tier_agg WHERE sensor_id = ?1 AND tier = ?2"
                            " AND start >= ?3 AND start <= ?4")),
      oldest_raw_(prepare_persistent(db, "SELECT min(hour) FROM tier_raw WHERE sensor_id = ?1")),
      oldest_agg_(prepare_persistent(db, "SELECT min(start) FROM tier_agg WHERE sensor_id = ?1 AND tier = ?2")) {}

bool tier_reader::decode_rows(sqlite3_stmt* s, const std::string& sensor_id, int blob_column,
                              std::vector<chunk_point>& out) {
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        if (!point_chunk::decode(column_blob(s, blob_column), out))
            SB_LOG(warn, "store", "damaged history row skipped", "sensor=" + log_quote(sensor_id));
    }
    return rc == SQLITE_DONE;
}

bool tier_reader::raw(const std::string& sensor_id, std::int64_t from, std::int64_t to, std::vector<chunk_point>& out) {
    if (from > to) return true;
    stmt_scope scope(raw_rows_.get());
    latest_table::bind_text(raw_rows_.get(), 1, sensor_id);
    sqlite3_bind_int64(raw_rows_.get(), 2, bucket_start(from, hour_ms));
    sqlite3_bind_int64(raw_rows_.get(), 3, to);
    const std::size_t before = out.size();
    std::vector<chunk_point> got;
    if (!decode_rows(raw_rows_.get(), sensor_id, 0, got)) return false;
    keep_range(got, from, to);
    out.resize(before);
    out.insert(out.end(), std::make_move_iterator(got.begin()), std::make_move_iterator(got.end()));
    return true;
}

std::int64_t tier_reader::raw_count_bound(const std::string& sensor_id, std::int64_t from, std::int64_t to) {
    if (from > to) return 0;
    stmt_scope scope(raw_count_.get());
    latest_table::bind_text(raw_count_.get(), 1, sensor_id);
    sqlite3_bind_int64(raw_count_.get(), 2, bucket_start(from, hour_ms));
    sqlite3_bind_int64(raw_count_.get(), 3, to);
    if (sqlite3_step(raw_count_.get()) != SQLITE_ROW) return -1;
    return sqlite3_column_int64(raw_count_.get(), 0);
}

bool tier_reader::aggregates(const std::string& sensor_id, int tier, std::int64_t from, std::int64_t to,
                             tier_slice& out) {
    if (from > to) return true;
    const std::int64_t width = width_of(tier);
    const std::int64_t first_bucket = bucket_start(from, width);
    std::vector<agg_entry> entries;
    std::vector<chunk_point> changed;
    {
        stmt_scope scope(agg_rows_.get());
        latest_table::bind_text(agg_rows_.get(), 1, sensor_id);
        sqlite3_bind_int(agg_rows_.get(), 2, tier);
        sqlite3_bind_int64(agg_rows_.get(), 3, bucket_start(from, window_of(tier)));
        sqlite3_bind_int64(agg_rows_.get(), 4, to);
        int rc;
        while ((rc = sqlite3_step(agg_rows_.get())) == SQLITE_ROW) {
            const bool ok = sqlite3_column_int(agg_rows_.get(), 0) == aggregates_kind
                                ? agg_block::decode(column_blob(agg_rows_.get(), 1), entries)
                                : point_chunk::decode(column_blob(agg_rows_.get(), 1), changed);
            if (!ok) SB_LOG(warn, "store", "damaged history aggregate skipped", "sensor=" + log_quote(sensor_id));
        }
        if (rc != SQLITE_DONE) return false;
    }
    // Hours whose rows wait for compaction (the current one, late readings) count too.
    std::vector<chunk_point> open;
    {
        stmt_scope scope(open_rows_.get());
        latest_table::bind_text(open_rows_.get(), 1, sensor_id);
        sqlite3_bind_int64(open_rows_.get(), 2, bucket_start(from, hour_ms));
        sqlite3_bind_int64(open_rows_.get(), 3, to);
        if (!decode_rows(open_rows_.get(), sensor_id, 0, open)) return false;
    }
    keep_range(open, first_bucket, to);
    if (all_numbers(open)) {
        const std::vector<agg_entry> fresh = aggregate(open, width);
        entries.insert(entries.end(), fresh.begin(), fresh.end());
    } else {
        const std::vector<chunk_point> fresh = changes(open);
        changed.insert(changed.end(), fresh.begin(), fresh.end());
    }
    entries.erase(std::remove_if(entries.begin(), entries.end(),
                                 [&](const agg_entry& e) { return e.t < first_bucket || e.t > to; }),
                  entries.end());
    // A bucket in a row and in open rows becomes one; entries already one per bucket, in order
    // (nearly always: 30 days are 43 200 of them), are taken as they are.
    bool one_per_bucket = true;
    for (std::size_t i = 0; one_per_bucket && i < entries.size(); ++i) {
        one_per_bucket = entries[i].count != 0 && bucket_start(entries[i].t, width) == entries[i].t &&
                         (i == 0 || entries[i - 1].t < entries[i].t);
    }
    out.entries = one_per_bucket ? std::move(entries) : rebucket(entries, width);
    keep_range(changed, from, to);
    out.points = std::move(changed);
    return true;
}

std::int64_t tier_reader::oldest(const std::string& sensor_id, int tier) {
    sqlite3_stmt* s = tier == raw_tier ? oldest_raw_.get() : oldest_agg_.get();
    stmt_scope scope(s);
    latest_table::bind_text(s, 1, sensor_id);
    if (tier != raw_tier) sqlite3_bind_int(s, 2, tier);
    if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_type(s, 0) == SQLITE_NULL) return -1;
    return sqlite3_column_int64(s, 0);
}

}  // namespace sb
