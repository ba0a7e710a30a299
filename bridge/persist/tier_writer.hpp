#pragma once
// The writer's side of the time-tiered history (tier_table.hpp): appending raw points in the
// commit's transaction, then, between commits, compacting closed hours into one row and their
// minute and hour aggregates, deleting what is past its retention, and holding the disk
// budget. Runs on the store's writer thread, on its connection. Each method but insert_raw is
// its own transaction.
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/stats.hpp"
#include "persist/point_chunk.hpp"
#include "persist/sqlite_handles.hpp"
#include "persist/store_options.hpp"
#include "persist/tier_agg.hpp"

namespace sb {

class tier_writer {
public:
    // Prepares its statements on db (schema created). Throws store_error.
    explicit tier_writer(sqlite3* db);

    // Inside the caller's transaction: a row per UTC hour the points fall in, and the sensor's
    // mark set to last_seq. points: any order; sorted here (stable).
    bool insert_raw(const std::string& sensor_id, std::vector<chunk_point>& points, std::uint64_t last_seq);
    // Every sensor's mark (tier_table.hpp). Throws store_error.
    std::unordered_map<std::string, std::uint64_t> marks();

    // Inside the caller's transaction: the sensor's rows in every tier go.
    bool forget(const std::string& sensor_id);

    // Compacts at most max_groups (sensor, hour) groups whose hour closed before
    // now - close_grace; returns how many, or -1 when the transaction failed.
    int compact(std::int64_t now_ms, std::int64_t close_grace_ms, int max_groups);
    // Deletes each tier's hours or days past its retention. False on failure.
    bool expire(std::int64_t now_ms, const tier_options& o);
    // Until the file's pages in use fit budget: the oldest compacted raw hour goes, then the
    // oldest rows waiting for compaction (32 at a time, logged once), then the oldest minute
    // hour, then the oldest hour-tier day. False on failure.
    // Closed hours waiting for compaction are compacted before any open row goes.
    bool hold_budget(std::uint64_t budget_bytes, std::int64_t now_ms, std::int64_t close_grace_ms);
    std::uint64_t used_bytes();

    // Blob bytes, oldest start and counters into s (the oldest read now: cheap, indexed).
    void fill(store_stats& s);
    const std::string& last_error() const noexcept { return last_error_; }

private:
    bool insert_row(const std::string& sensor_id, std::int64_t hour_start, const std::vector<chunk_point>& points,
                    bool compact);
    bool compact_group(const std::string& sensor_id, std::int64_t hour);
    bool write_aggregates(const std::string& sensor_id, std::int64_t hour, const std::vector<chunk_point>& points,
                          bool recompute);
    bool read_agg(const std::string& sensor_id, int tier, std::int64_t start, int& kind, std::string& data, bool& found);
    bool put_agg(const std::string& sensor_id, int tier, std::int64_t start, int kind, const std::string& data);
    bool delete_counted(sqlite3_stmt* s, int tier);
    bool begin();
    bool end(bool ok);
    std::int64_t min_of(sqlite3_stmt* s);

    sqlite3* db_;
    std::string last_error_;
    stmt_ptr insert_raw_, open_groups_, group_rows_, group_delete_, agg_read_, agg_put_, expire_raw_, expire_agg_,
        oldest_raw_, oldest_compact_raw_, oldest_agg_, delete_raw_hour_, delete_open_rows_, delete_agg_start_, forget_raw_, forget_agg_, put_mark_, forget_mark_, begin_, commit_, rollback_,
        page_count_, freelist_;
    std::uint64_t bytes_[3] = {0, 0, 0};
    std::uint64_t points_ = 0, compactions_ = 0, evictions_ = 0;
    std::uint64_t page_size_ = 4096;
    bool open_evicted_ = false;  // warned that the budget is too small for the current hour
};

}  // namespace sb
