#include "persist/tier_writer.hpp"

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

// A compacted hour is split into rows of at most this many points (a 20 Hz sensor's hour is
// 72 000): a row stays a few hundred KiB at most, and decoding stays bounded.
constexpr std::size_t max_row_points = 1 << 16;


void bind_blob(sqlite3_stmt* s, int i, const std::string& data) {
    sqlite3_bind_blob64(s, i, data.data(), data.size(), SQLITE_STATIC);
}


bool done(sqlite3_stmt* s) {
    stmt_scope scope(s);
    return sqlite3_step(s) == SQLITE_DONE;
}

}  // namespace

tier_writer::tier_writer(sqlite3* db)
    : db_(db),
      insert_raw_(prepare_persistent(db, "INSERT INTO tier_raw(sensor_id, hour, point_count, compact, points) VALUES(?1, ?2, ?3, ?4, ?5)")),
      open_groups_(prepare_persistent(db, "SELECT DISTINCT sensor_id, hour FROM tier_raw WHERE compact = 0 AND hour < ?1"
                               " ORDER BY hour LIMIT ?2")),
      group_rows_(prepare_persistent(db, "SELECT compact, points FROM tier_raw WHERE sensor_id = ?1 AND hour = ?2 ORDER BY id")),
      group_delete_(prepare_persistent(db, "DELETE FROM tier_raw WHERE sensor_id = ?1 AND hour = ?2 RETURNING length(points), point_count")),
      agg_read_(prepare_persistent(db, "SELECT kind, data FROM tier_agg WHERE sensor_id = ?1 AND tier = ?2 AND start = ?3")),
      agg_put_(prepare_persistent(db, "INSERT OR REPLACE INTO tier_agg(sensor_id, tier, start, kind, data) VALUES(?1, ?2, ?3, ?4, ?5)")),
      expire_raw_(prepare_persistent(db, "DELETE FROM tier_raw WHERE hour < ?1 AND compact = 1 RETURNING length(points), point_count")),
      expire_agg_(prepare_persistent(db, "DELETE FROM tier_agg WHERE tier = ?1 AND start < ?2 RETURNING length(data), 0")),
      oldest_raw_(prepare_persistent(db, "SELECT min(hour) FROM tier_raw")),
      oldest_compact_raw_(prepare_persistent(db, "SELECT hour FROM tier_raw WHERE compact = 1 ORDER BY hour LIMIT 1")),
      oldest_agg_(prepare_persistent(db, "SELECT min(start) FROM tier_agg WHERE tier = ?1")),
      delete_raw_hour_(prepare_persistent(db, "DELETE FROM tier_raw WHERE hour = ?1 AND compact = 1 RETURNING length(points), point_count")),
      delete_open_rows_(prepare_persistent(db, "DELETE FROM tier_raw WHERE id IN (SELECT id FROM tier_raw WHERE compact = 0"
                                               " ORDER BY hour, id LIMIT 32) RETURNING length(points), point_count")),
      delete_agg_start_(prepare_persistent(db, "DELETE FROM tier_agg WHERE tier = ?1 AND start = ?2 RETURNING length(data), 0")),
      forget_raw_(prepare_persistent(db, "DELETE FROM tier_raw WHERE sensor_id = ?1 RETURNING length(points), point_count")),
      forget_agg_(prepare_persistent(db, "DELETE FROM tier_agg WHERE sensor_id = ?1 AND tier = ?2 RETURNING length(data), 0")),
      put_mark_(prepare_persistent(db, "INSERT OR REPLACE INTO tier_mark(sensor_id, seq) VALUES(?1, ?2)")),
      forget_mark_(prepare_persistent(db, "DELETE FROM tier_mark WHERE sensor_id = ?1")),
      begin_(prepare_persistent(db, "BEGIN IMMEDIATE")),
      commit_(prepare_persistent(db, "COMMIT")),
      rollback_(prepare_persistent(db, "ROLLBACK")),
      page_count_(prepare_persistent(db, "PRAGMA page_count")),
      freelist_(prepare_persistent(db, "PRAGMA freelist_count")) {
    // The figures start from what the file holds: one pass over the blobs' lengths (SQLite reads
    // a blob's length from its record header, not its pages).
    stmt_ptr sums = prepare_persistent(db, "SELECT coalesce(sum(length(points)), 0), coalesce(sum(point_count), 0) FROM tier_raw");
    if (sqlite3_step(sums.get()) == SQLITE_ROW) {
        bytes_[raw_tier] = static_cast<std::uint64_t>(sqlite3_column_int64(sums.get(), 0));
        points_ = static_cast<std::uint64_t>(sqlite3_column_int64(sums.get(), 1));
    }
    stmt_ptr size = prepare_persistent(db, "PRAGMA page_size");
    if (sqlite3_step(size.get()) == SQLITE_ROW) page_size_ = static_cast<std::uint64_t>(sqlite3_column_int64(size.get(), 0));
    stmt_ptr agg = prepare_persistent(db, "SELECT tier, coalesce(sum(length(data)), 0) FROM tier_agg GROUP BY tier");
    while (sqlite3_step(agg.get()) == SQLITE_ROW) {
        const int t = sqlite3_column_int(agg.get(), 0);
        if (t == minute_tier || t == hour_tier) bytes_[t] = static_cast<std::uint64_t>(sqlite3_column_int64(agg.get(), 1));
    }
}

std::unordered_map<std::string, std::uint64_t> tier_writer::marks() {
    std::unordered_map<std::string, std::uint64_t> out;
    stmt_ptr s = prepare_persistent(db_, "SELECT sensor_id, seq FROM tier_mark");
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        out[latest_table::column_text(s.get(), 0)] = static_cast<std::uint64_t>(sqlite3_column_int64(s.get(), 1));
    }
    if (rc != SQLITE_DONE) throw store_error(std::string("cannot read the history marks: ") + sqlite3_errmsg(db_));
    return out;
}

bool tier_writer::insert_raw(const std::string& sensor_id, std::vector<chunk_point>& points, std::uint64_t last_seq) {
    {
        stmt_scope scope(put_mark_.get());
        latest_table::bind_text(put_mark_.get(), 1, sensor_id);
        sqlite3_bind_int64(put_mark_.get(), 2, static_cast<sqlite3_int64>(last_seq));  // the seq's bits, as elsewhere
        if (sqlite3_step(put_mark_.get()) != SQLITE_DONE) return false;
    }
    sort_by_time(points);
    auto first = points.begin();
    std::vector<chunk_point> run;
    while (first != points.end()) {
        const std::int64_t hour_start = bucket_start(first->t, hour_ms);
        auto last = std::find_if(first, points.end(), [&](const chunk_point& p) { return p.t >= hour_start + hour_ms; });
        run.assign(first, last);  // copied: a failed transaction leaves the caller's points to retry
        if (!insert_row(sensor_id, hour_start, run, false)) return false;
        first = last;
    }
    return true;
}

bool tier_writer::forget(const std::string& sensor_id) {
    latest_table::bind_text(forget_mark_.get(), 1, sensor_id);
    if (!done(forget_mark_.get())) return false;
    latest_table::bind_text(forget_raw_.get(), 1, sensor_id);
    if (!delete_counted(forget_raw_.get(), raw_tier)) return false;
    for (int t : {int(minute_tier), int(hour_tier)}) {
        latest_table::bind_text(forget_agg_.get(), 1, sensor_id);
        sqlite3_bind_int(forget_agg_.get(), 2, t);
        if (!delete_counted(forget_agg_.get(), t)) return false;
    }
    return true;
}

bool tier_writer::insert_row(const std::string& sensor_id, std::int64_t hour_start,
                             const std::vector<chunk_point>& points, bool compact) {
    const std::string blob = point_chunk::encode(points, compact ? point_chunk::packing::zstd : point_chunk::packing::plain);
    stmt_scope scope(insert_raw_.get());
    latest_table::bind_text(insert_raw_.get(), 1, sensor_id);
    sqlite3_bind_int64(insert_raw_.get(), 2, hour_start);
    sqlite3_bind_int64(insert_raw_.get(), 3, static_cast<sqlite3_int64>(points.size()));
    sqlite3_bind_int(insert_raw_.get(), 4, compact ? 1 : 0);
    bind_blob(insert_raw_.get(), 5, blob);
    if (sqlite3_step(insert_raw_.get()) != SQLITE_DONE) return false;
    bytes_[raw_tier] += blob.size();
    points_ += points.size();
    return true;
}

bool tier_writer::begin() { return done(begin_.get()); }

bool tier_writer::end(bool ok) {
    ok = ok && done(commit_.get());
    if (ok) return true;
    last_error_ = sqlite3_errmsg(db_);
    if (!sqlite3_get_autocommit(db_)) done(rollback_.get());
    return false;
}

// Steps a DELETE ... RETURNING length, points, taking the deleted bytes (and raw points) off
// the figures.
bool tier_writer::delete_counted(sqlite3_stmt* s, int t) {
    stmt_scope scope(s);
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        bytes_[t] -= std::min<std::uint64_t>(bytes_[t], static_cast<std::uint64_t>(sqlite3_column_int64(s, 0)));
        if (t == raw_tier) points_ -= std::min<std::uint64_t>(points_, static_cast<std::uint64_t>(sqlite3_column_int64(s, 1)));
    }
    return rc == SQLITE_DONE;
}

int tier_writer::compact(std::int64_t now_ms, std::int64_t close_grace_ms, int max_groups) {
    std::vector<std::pair<std::string, std::int64_t>> groups;
    {
        stmt_scope scope(open_groups_.get());
        // An hour closes close_grace after its end: readings of its last seconds arrive first.
        sqlite3_bind_int64(open_groups_.get(), 1, bucket_start(now_ms - close_grace_ms, hour_ms));
        sqlite3_bind_int(open_groups_.get(), 2, max_groups);
        while (sqlite3_step(open_groups_.get()) == SQLITE_ROW) {
            groups.emplace_back(latest_table::column_text(open_groups_.get(), 0), sqlite3_column_int64(open_groups_.get(), 1));
        }
    }
    if (groups.empty()) return 0;
    const std::uint64_t bytes_before[3] = {bytes_[0], bytes_[1], bytes_[2]};
    const std::uint64_t points_before = points_;
    bool ok = begin();
    for (const auto& [id, hour_start] : groups) {
        if (!ok) break;
        ok = compact_group(id, hour_start);
    }
    if (!end(ok)) {
        std::copy(std::begin(bytes_before), std::end(bytes_before), bytes_);
        points_ = points_before;
        return -1;
    }
    compactions_ += groups.size();
    return static_cast<int>(groups.size());
}

// The hour's rows become one (or a few past max_row_points), and its aggregates are derived
// from them: recomputed when the hour was compacted before (its raw points are all here), or
// merged into what the tiers hold when its raw rows had gone (a reading back-filled after
// the raw retention).
bool tier_writer::compact_group(const std::string& sensor_id, std::int64_t hour_start) {
    std::vector<chunk_point> points;
    bool recompute = false;
    {
        stmt_scope scope(group_rows_.get());
        latest_table::bind_text(group_rows_.get(), 1, sensor_id);
        sqlite3_bind_int64(group_rows_.get(), 2, hour_start);
        int rc;
        while ((rc = sqlite3_step(group_rows_.get())) == SQLITE_ROW) {
            recompute = recompute || sqlite3_column_int(group_rows_.get(), 0) == 1;
            if (!point_chunk::decode(column_blob(group_rows_.get(), 1), points)) {
                SB_LOG(warn, "store", "damaged history row skipped", "sensor=" + log_quote(sensor_id));
            }
        }
        if (rc != SQLITE_DONE) return false;
    }
    latest_table::bind_text(group_delete_.get(), 1, sensor_id);
    sqlite3_bind_int64(group_delete_.get(), 2, hour_start);
    if (!delete_counted(group_delete_.get(), raw_tier)) return false;
    sort_by_time(points);
    std::vector<chunk_point> piece;
    for (std::size_t i = 0; i < points.size(); i += max_row_points) {
        piece.assign(points.begin() + static_cast<std::ptrdiff_t>(i),
                     points.begin() + static_cast<std::ptrdiff_t>(std::min(points.size(), i + max_row_points)));
        if (!insert_row(sensor_id, hour_start, piece, true)) return false;
    }
    return points.empty() || write_aggregates(sensor_id, hour_start, points, recompute);
}

bool tier_writer::read_agg(const std::string& sensor_id, int t, std::int64_t start, int& kind, std::string& data,
                           bool& found) {
    stmt_scope scope(agg_read_.get());
    latest_table::bind_text(agg_read_.get(), 1, sensor_id);
    sqlite3_bind_int(agg_read_.get(), 2, t);
    sqlite3_bind_int64(agg_read_.get(), 3, start);
    const int rc = sqlite3_step(agg_read_.get());
    found = rc == SQLITE_ROW;
    if (found) {
        kind = sqlite3_column_int(agg_read_.get(), 0);
        data.assign(column_blob(agg_read_.get(), 1));
    }
    return rc == SQLITE_ROW || rc == SQLITE_DONE;
}

bool tier_writer::put_agg(const std::string& sensor_id, int t, std::int64_t start, int kind, const std::string& data) {
    stmt_scope scope(agg_put_.get());
    latest_table::bind_text(agg_put_.get(), 1, sensor_id);
    sqlite3_bind_int(agg_put_.get(), 2, t);
    sqlite3_bind_int64(agg_put_.get(), 3, start);
    sqlite3_bind_int(agg_put_.get(), 4, kind);
    bind_blob(agg_put_.get(), 5, data);
    if (sqlite3_step(agg_put_.get()) != SQLITE_DONE) return false;
    bytes_[t] += data.size();
    return true;
}

// The hour's minute row, then its entry in the day's hour row. Numbers give aggregates; a
// sensor with a boolean or text in the hour keeps its changes instead.
bool tier_writer::write_aggregates(const std::string& sensor_id, std::int64_t hour_start,
                                   const std::vector<chunk_point>& points, bool recompute) {
    const bool numbers = all_numbers(points);
    int kind = 0;
    bool found = false;
    std::string old;
    if (!read_agg(sensor_id, minute_tier, hour_start, kind, old, found)) return false;
    if (found) bytes_[minute_tier] -= std::min<std::uint64_t>(bytes_[minute_tier], old.size());
    const bool merge = found && !recompute && kind == (numbers ? aggregates_kind : changes_kind);
    std::vector<agg_entry> minutes;
    std::vector<chunk_point> changed;
    std::string data;
    if (numbers) {
        minutes = aggregate(points, minute_ms);
        if (merge) {
            std::vector<agg_entry> before;
            if (agg_block::decode(old, before)) {
                before.insert(before.end(), minutes.begin(), minutes.end());
                minutes = rebucket(before, minute_ms);  // equal minutes merge
            }
        }
        data = agg_block::encode(minutes);
    } else {
        changed = points;
        if (merge) point_chunk::decode(old, changed);
        changed = changes(std::move(changed));
        data = point_chunk::encode(changed);
    }
    if (!put_agg(sensor_id, minute_tier, hour_start, numbers ? aggregates_kind : changes_kind, data)) return false;

    const std::int64_t day_start = bucket_start(hour_start, day_ms);
    if (!read_agg(sensor_id, hour_tier, day_start, kind, old, found)) return false;
    if (found) bytes_[hour_tier] -= std::min<std::uint64_t>(bytes_[hour_tier], old.size());
    const bool same_kind = found && kind == (numbers ? aggregates_kind : changes_kind);
    if (numbers) {
        std::vector<agg_entry> hours;
        if (same_kind && agg_block::decode(old, hours)) {
            hours.erase(std::remove_if(hours.begin(), hours.end(), [&](const agg_entry& e) { return e.t == hour_start; }),
                        hours.end());
        }
        for (const agg_entry& e : rebucket(minutes, hour_ms)) hours.push_back(e);
        std::sort(hours.begin(), hours.end(), [](const agg_entry& a, const agg_entry& b) { return a.t < b.t; });
        data = agg_block::encode(hours);
    } else {
        std::vector<chunk_point> day;
        if (same_kind && point_chunk::decode(old, day)) {
            day.erase(std::remove_if(day.begin(), day.end(),
                                     [&](const chunk_point& p) { return p.t >= hour_start && p.t < hour_start + hour_ms; }),
                      day.end());
        }
        day.insert(day.end(), changed.begin(), changed.end());
        data = point_chunk::encode(changes(std::move(day)));
    }
    return put_agg(sensor_id, hour_tier, day_start, numbers ? aggregates_kind : changes_kind, data);
}

bool tier_writer::expire(std::int64_t now_ms, const tier_options& o) {
    const std::uint64_t bytes_before[3] = {bytes_[0], bytes_[1], bytes_[2]};
    const std::uint64_t points_before = points_;
    // A whole hour (day) goes once its end is past the retention.
    bool ok = begin();
    if (ok) {
        sqlite3_bind_int64(expire_raw_.get(), 1, now_ms - o.raw_retention_ms - hour_ms + 1);
        ok = delete_counted(expire_raw_.get(), raw_tier);
    }
    if (ok) {
        sqlite3_bind_int(expire_agg_.get(), 1, minute_tier);
        sqlite3_bind_int64(expire_agg_.get(), 2, now_ms - o.minute_retention_ms - hour_ms + 1);
        ok = delete_counted(expire_agg_.get(), minute_tier);
    }
    if (ok) {
        sqlite3_bind_int(expire_agg_.get(), 1, hour_tier);
        sqlite3_bind_int64(expire_agg_.get(), 2, now_ms - o.hour_retention_ms - day_ms + 1);
        ok = delete_counted(expire_agg_.get(), hour_tier);
    }
    if (end(ok)) return true;
    std::copy(std::begin(bytes_before), std::end(bytes_before), bytes_);
    points_ = points_before;
    return false;
}

std::int64_t tier_writer::min_of(sqlite3_stmt* s) {
    stmt_scope scope(s);
    if (sqlite3_step(s) != SQLITE_ROW || sqlite3_column_type(s, 0) == SQLITE_NULL) return -1;
    return sqlite3_column_int64(s, 0);
}

std::uint64_t tier_writer::used_bytes() {
    const std::int64_t pages = min_of(page_count_.get());
    const std::int64_t free_pages = min_of(freelist_.get());
    if (pages < 0) return 0;
    return static_cast<std::uint64_t>(pages - std::max<std::int64_t>(free_pages, 0)) * page_size_;
}

bool tier_writer::hold_budget(std::uint64_t budget_bytes, std::int64_t now_ms, std::int64_t close_grace_ms) {
    while (used_bytes() > budget_bytes) {
        // Raw first, oldest first: a compacted hour of all sensors (its aggregates stay), then the
        // oldest rows still waiting for compaction (the current hour's: their points are then in
        // no tier, so the budget is too small for the readings coming in: said once per pass);
        // then minutes, then hours.
        sqlite3_stmt* del = nullptr;
        int t = raw_tier;
        std::int64_t start;
        if ((start = min_of(oldest_compact_raw_.get())) >= 0) {
            del = delete_raw_hour_.get();
            sqlite3_bind_int64(del, 1, start);
        } else if (min_of(oldest_raw_.get()) >= 0) {
            // Closed hours still waiting for compaction shrink when compacted: that first.
            const int compacted = compact(now_ms, close_grace_ms, 256);
            if (compacted < 0) return false;
            if (compacted > 0) continue;
            del = delete_open_rows_.get();
            if (!open_evicted_) {
                SB_LOG(warn, "store", "history budget too small for the readings coming in: the oldest raw readings of "
                                      "the current hour go before they are aggregated",
                       "budget_bytes=" + std::to_string(budget_bytes));
            }
            open_evicted_ = true;
        } else {
            for (int agg_tier : {int(minute_tier), int(hour_tier)}) {
                sqlite3_bind_int(oldest_agg_.get(), 1, agg_tier);
                if ((start = min_of(oldest_agg_.get())) < 0) continue;
                del = delete_agg_start_.get();
                t = agg_tier;
                sqlite3_bind_int(del, 1, agg_tier);
                sqlite3_bind_int64(del, 2, start);
                break;
            }
        }
        if (!del) return true;  // no history left: the rest is the latest values and --history-depth
        const std::uint64_t bytes_before[3] = {bytes_[0], bytes_[1], bytes_[2]};
        const std::uint64_t points_before = points_;
        if (!end(begin() && delete_counted(del, t))) {
            std::copy(std::begin(bytes_before), std::end(bytes_before), bytes_);
            points_ = points_before;
            return false;
        }
        ++evictions_;
    }
    return true;
}

void tier_writer::fill(store_stats& s) {
    std::copy(std::begin(bytes_), std::end(bytes_), s.tier_bytes);
    s.tier_oldest_ms[raw_tier] = min_of(oldest_raw_.get());
    for (int t : {int(minute_tier), int(hour_tier)}) {
        sqlite3_bind_int(oldest_agg_.get(), 1, t);
        s.tier_oldest_ms[t] = min_of(oldest_agg_.get());
    }
    s.tier_points = points_;
    s.tier_compactions = compactions_;
    s.tier_evictions = evictions_;
    s.db_bytes = used_bytes();
}

}  // namespace sb
