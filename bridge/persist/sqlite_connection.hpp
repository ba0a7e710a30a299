#pragma once
// One SQLite connection to the bridge's file: opening it (WAL, schema), reading it back at
// start, and writing one transaction of latest rows and history rows. No threads here:
// sqlite_store decides when, on its writer thread.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/reading.hpp"
#include "persist/pending_writes.hpp"
#include "persist/sqlite_handles.hpp"
#include "persist/tier_writer.hpp"

namespace sb {

class sqlite_connection {
public:
    using sensor_iterator = std::unordered_map<std::string, pending_sensor>::iterator;

    // Opens or creates the database and its schema, synchronous FULL or NORMAL, the WAL cut
    // back to wal_limit_bytes after checkpoints. Throws store_error.
    sqlite_connection(const std::string& path, bool sync_full, std::int64_t wal_limit_bytes);

    std::uint64_t count_sensors();
    // Every sensor's latest reading, ordered by id. Throws store_error.
    std::vector<reading> load_latest();
    // The newest `depth` stored history points of every sensor, by sensor then seq (topics
    // empty). Throws store_error.
    void load_history(std::size_t depth, const std::function<void(reading&)>& on_row);

    // A sensor's run of tiered history points, written with its mark (tier_writer::insert_raw).
    struct tier_flush {
        const std::string* sensor_id = nullptr;
        std::vector<chunk_point>* points = nullptr;
        std::uint64_t last_seq = 0;
    };
    struct commit_rows {
        sensor_iterator first, last;    // each: its latest row if any, its history chunks
        std::size_t history_depth = 0;  // points kept per sensor touched by this commit
        const std::vector<tier_flush>* flush = nullptr;  // tiered points to write too (may be null)
    };
    // One transaction: per sensor, upserts its latest row, inserts its history chunks (a row
    // each) and trims its history to history_depth; then the tiered runs in flush. False (rolled back) on any failure;
    // new_sensors counts latest rows for sensors the table did not hold yet.
    bool commit(const commit_rows& rows, std::uint64_t& new_sensors);
    // One transaction deleting each sensor's latest row and history rows. False (rolled back)
    // on failure; removed counts the latest rows deleted.
    bool forget(const std::vector<std::string>& sensor_ids, std::uint64_t& removed);
    // The time-tiered history's writer on this connection (its schema is created with the rest).
    tier_writer& tiers() { return *tiers_; }
    // SQLite's message for the last failed commit ("disk I/O error", "database or disk is full").
    const std::string& last_error() const noexcept { return last_error_; }

    // The file's instance id (store_instance.hpp), made with the file and kept in meta.
    const std::string& instance() const noexcept { return instance_; }

    // The clean-shutdown marker in meta: mark_running() returns whether the previous run ended
    // with mark_clean() (a new file counts as clean) and clears it. Throws store_error.
    bool mark_running();
    void mark_clean() noexcept;

    // A PASSIVE checkpoint, then a TRUNCATE one (without waiting) when the WAL is over its limit
    // and fully checkpointed. False when SQLite refused (busy, I/O error).
    bool checkpoint() noexcept;
    // The sizes on disk of the database file and of its -wal (0 when absent).
    std::uint64_t file_bytes() const noexcept;
    std::uint64_t wal_bytes() const noexcept;

private:
    [[noreturn]] void fail(const std::string& what) const;
    void exec_or_throw(const char* sql, const char* what);
    stmt_ptr prepare_or_throw(const char* sql);
    std::string query_text(const char* sql);
    void create_schema();
    void convert_row_history();
    bool step_done(sqlite3_stmt* s);
    bool end_transaction(bool ok);
    bool count_if_new(const std::string& sensor_id, std::uint64_t& inserted);
    bool upsert(const reading& r, std::uint64_t& inserted);
    bool insert_history(const std::string& id, sensor_history& history, std::size_t depth);

    std::string path_;
    std::int64_t wal_limit_bytes_;
    std::string last_error_;
    std::string instance_;
    db_ptr db_;  // declared before the statements: closed after they are finalized
    std::unique_ptr<tier_writer> tiers_;  // after db_: finalized first
    stmt_ptr upsert_, exists_, history_insert_, history_trim_, begin_, commit_, rollback_, forget_latest_,
        forget_history_;
};

}  // namespace sb
