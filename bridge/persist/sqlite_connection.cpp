#include "persist/sqlite_connection.hpp"

#include <algorithm>
#include <deque>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/log.hpp"
#include "persist/history_chunk.hpp"
#include "persist/history_table.hpp"
#include "persist/latest_table.hpp"
#include "persist/store_error.hpp"
#include "persist/store_instance.hpp"
#include "persist/tier_table.hpp"

namespace sb {
namespace {

constexpr int busy_timeout_ms = 5000;

std::uint64_t size_of(const std::string& path) {
    std::error_code ec;
    const auto n = std::filesystem::file_size(path, ec);
    return ec ? 0 : static_cast<std::uint64_t>(n);
}

}  // namespace

sqlite_connection::sqlite_connection(const std::string& path, bool sync_full, std::int64_t wal_limit_bytes)
    : path_(path), wal_limit_bytes_(wal_limit_bytes) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("open");
    sqlite3_extended_result_codes(db_.get(), 1);
    sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
    // The first read of the file: a file that is not a database fails here.
    const std::string mode = query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal" && mode != "memory") fail("journal mode is '" + mode + "', not WAL");
    exec_or_throw(sync_full ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL", "setting synchronous");
    // The WAL is cut back to this once checkpointed (checkpoint()); 1000 pages (4 MiB at 4 KiB
    // pages) between automatic PASSIVE checkpoints, SQLite's default, said here.
    exec_or_throw(("PRAGMA journal_size_limit = " + std::to_string(wal_limit_bytes)).c_str(), "setting journal_size_limit");
    exec_or_throw("PRAGMA wal_autocheckpoint = 1000", "setting wal_autocheckpoint");
    exec_or_throw("PRAGMA cache_size = -32768", "setting the cache size");
    create_schema();
    tiers_ = std::make_unique<tier_writer>(db_.get());
    upsert_ = prepare_or_throw(latest_table::upsert_sql);
    exists_ = prepare_or_throw(latest_table::exists_sql);
    history_insert_ = prepare_or_throw(history_table::insert_sql);
    history_trim_ = prepare_or_throw(history_table::trim_sql);
    begin_ = prepare_or_throw("BEGIN IMMEDIATE");
    commit_ = prepare_or_throw("COMMIT");
    rollback_ = prepare_or_throw("ROLLBACK");
    forget_latest_ = prepare_or_throw("DELETE FROM latest WHERE sensor_id = ?1");
    forget_history_ = prepare_or_throw("DELETE FROM history_chunk WHERE sensor_id = ?1");
}

void sqlite_connection::fail(const std::string& what) const {
    const char* msg = db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
    throw store_error("cannot open database '" + path_ + "': " + what + ": " + msg);
}

void sqlite_connection::exec_or_throw(const char* sql, const char* what) {
    if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(what);
}

stmt_ptr sqlite_connection::prepare_or_throw(const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        fail(std::string("preparing '") + sql + "'");
    return stmt_ptr(s);
}

bool sqlite_connection::mark_running() {
    stmt_ptr s = prepare_or_throw("SELECT value FROM meta WHERE key = 'clean_shutdown'");
    const int rc = sqlite3_step(s.get());
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) fail("reading the shutdown marker");
    const bool clean = rc == SQLITE_DONE || latest_table::column_text(s.get(), 0) == "1";
    s.reset();
    exec_or_throw("INSERT OR REPLACE INTO meta(key, value) VALUES('clean_shutdown', '0')", "writing the shutdown marker");
    // In NORMAL the WAL reaches the disk at a checkpoint only: without one a power cut could
    // roll the marker back to "clean" and seq numbers already sent would be handed out again.
    checkpoint();
    return clean;
}

void sqlite_connection::mark_clean() noexcept {
    sqlite3_exec(db_.get(), "INSERT OR REPLACE INTO meta(key, value) VALUES('clean_shutdown', '1')", nullptr, nullptr,
                 nullptr);
}

// PASSIVE (never waits for the history reader); in NORMAL it syncs the WAL first. Once every
// frame is in the file and the WAL is over the limit, a TRUNCATE without waiting empties it
// (SQLite itself cuts it to journal_size_limit only when the next commit restarts it).
bool sqlite_connection::checkpoint() noexcept {
    int log_frames = 0, done_frames = 0;
    if (sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, &log_frames, &done_frames) != SQLITE_OK)
        return false;
    if (log_frames != done_frames || wal_bytes() <= static_cast<std::uint64_t>(wal_limit_bytes_)) return true;
    sqlite3_busy_timeout(db_.get(), 0);
    const int rc = sqlite3_wal_checkpoint_v2(db_.get(), nullptr, SQLITE_CHECKPOINT_TRUNCATE, nullptr, nullptr);
    sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
    return rc == SQLITE_OK;
}

std::uint64_t sqlite_connection::file_bytes() const noexcept { return size_of(path_); }

std::uint64_t sqlite_connection::wal_bytes() const noexcept { return size_of(path_ + "-wal"); }

std::string sqlite_connection::query_text(const char* sql) {
    stmt_ptr s = prepare_or_throw(sql);
    if (sqlite3_step(s.get()) != SQLITE_ROW) fail(sql);
    return latest_table::column_text(s.get(), 0);
}

// Version 1 files gain the history table, version 2 files have theirs converted to chunks,
// version 3 files have their chunks copied into insertion order, version 4 files gain the
// latest table's retained and payload_hash columns, version 6 files (and new ones) their
// instance id; files newer than this build are refused. All in one transaction: a failure
// leaves the file as it was.
void sqlite_connection::create_schema() {
    if (std::stoll(query_text("PRAGMA user_version")) > latest_table::schema_version)
        fail("schema is newer than this version understands");
    exec_or_throw("BEGIN IMMEDIATE", "creating schema");
    exec_or_throw(latest_table::schema_sql, "creating schema");
    stmt_ptr columns = prepare_or_throw(latest_table::has_retained_sql);
    const bool has_retained = sqlite3_step(columns.get()) == SQLITE_ROW;
    columns.reset();
    if (!has_retained) exec_or_throw(latest_table::add_retained_sql, "adding the version 5 columns");
    stmt_ptr probe = prepare_or_throw(history_table::clustered_table_sql);
    const bool clustered = sqlite3_step(probe.get()) == SQLITE_ROW;
    probe.reset();
    if (clustered) exec_or_throw(history_table::unclustered_sql, "moving the version 3 history table aside");
    exec_or_throw(history_table::schema_sql, "creating schema");
    if (clustered) exec_or_throw(history_table::copy_clustered_sql, "copying the version 3 history rows");
    convert_row_history();
    exec_or_throw(history_table::view_sql, "creating schema");
    exec_or_throw(tier_table::schema_sql, "creating the history tiers");
    instance_ = store_instance::ensure(db_.get());
    if (instance_.empty()) fail("writing the instance id");
    exec_or_throw(latest_table::version_sql, "creating schema");
    exec_or_throw("COMMIT", "creating schema");
}

// Version 2 kept a row per reading in `history`: each sensor's rows become one chunk.
void sqlite_connection::convert_row_history() {
    stmt_ptr probe = prepare_or_throw(history_table::old_table_sql);
    const bool exists = sqlite3_step(probe.get()) == SQLITE_ROW;
    probe.reset();
    if (!exists) return;
    stmt_ptr rows = prepare_or_throw(history_table::old_select_sql);
    stmt_ptr insert = prepare_or_throw(history_table::insert_sql);
    std::string id;
    auto chunk = std::make_unique<history_chunk>();
    const auto write_chunk = [&] {
        if (chunk->points() == 0) return;
        stmt_scope scope(insert.get());
        history_table::bind_insert(insert.get(), id, *chunk);
        if (sqlite3_step(insert.get()) != SQLITE_DONE) fail("converting the history table");
        chunk = std::make_unique<history_chunk>();
    };
    reading r;
    int rc;
    while ((rc = sqlite3_step(rows.get())) == SQLITE_ROW) {
        if (!latest_table::read_row_fields(rows.get(), r)) continue;  // a value type this build does not know
        if (r.sensor_id != id) {
            write_chunk();
            id = r.sensor_id;
        }
        chunk->add(r);
    }
    if (rc != SQLITE_DONE) fail("reading the history table to convert it");
    write_chunk();
    rows.reset();
    insert.reset();
    exec_or_throw(history_table::old_drop_sql, "converting the history table");
}

std::uint64_t sqlite_connection::count_sensors() {
    return static_cast<std::uint64_t>(std::stoll(query_text("SELECT count(*) FROM latest")));
}

std::vector<reading> sqlite_connection::load_latest() {
    stmt_ptr s = prepare_or_throw(latest_table::select_sql);
    std::vector<reading> out;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        reading r;
        if (latest_table::read_row(s.get(), r)) out.push_back(std::move(r));
    }
    if (rc != SQLITE_DONE) fail("reading latest values");
    return out;
}

// Chunks come by sensor, then first seq; a point not above the last one kept for its sensor
// (chunks overlapping after a crash) is skipped, so the rows stay in strict seq order, and of
// each sensor only the newest `depth` points are delivered (a partly expired chunk holds older).
void sqlite_connection::load_history(std::size_t depth, const std::function<void(reading&)>& on_row) {
    stmt_ptr s = prepare_or_throw(history_table::select_sql);
    std::deque<reading> newest;  // the current sensor's points, at most depth
    const auto deliver = [&] {
        for (reading& r : newest) on_row(r);
        newest.clear();
    };
    const std::function<void(reading&)> keep = [&](reading& r) {
        if (!newest.empty() && r.seq <= newest.back().seq) return;
        newest.push_back(std::move(r));
        if (newest.size() > depth) newest.pop_front();
    };
    std::string id;
    int rc;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        std::string row_id = latest_table::column_text(s.get(), 0);
        if (row_id != id) {
            deliver();
            id = std::move(row_id);
        }
        const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s.get(), 1));
        const auto size = static_cast<std::size_t>(sqlite3_column_bytes(s.get(), 1));
        bool whole = false;
        history_chunk::decode(std::string_view(text ? text : "", text ? size : 0), id, keep, whole);
        if (!whole) SB_LOG(warn, "store", "damaged history row skipped, in whole or in part", "sensor=" + log_quote(id));
    }
    if (rc != SQLITE_DONE) fail("reading history");
    deliver();
}

bool sqlite_connection::step_done(sqlite3_stmt* s) {
    stmt_scope scope(s);
    return sqlite3_step(s) == SQLITE_DONE;
}

// Counts the row as inserted when its sensor is not in the table yet: one index lookup on
// pages the upsert reads anyway, cheaper than counting the table after each commit.
bool sqlite_connection::count_if_new(const std::string& sensor_id, std::uint64_t& inserted) {
    stmt_scope scope(exists_.get());
    latest_table::bind_text(exists_.get(), 1, sensor_id);
    const int rc = sqlite3_step(exists_.get());
    if (rc == SQLITE_DONE) ++inserted;
    return rc == SQLITE_DONE || rc == SQLITE_ROW;
}

bool sqlite_connection::upsert(const reading& r, std::uint64_t& inserted) {
    if (!count_if_new(r.sensor_id, inserted)) return false;
    stmt_scope scope(upsert_.get());
    latest_table::bind_reading(upsert_.get(), r);
    return sqlite3_step(upsert_.get()) == SQLITE_DONE;
}

// A row per waiting chunk (pending_writes packed them: usually one per sensor), then the
// sensor's rows that fell out of the depth go. Statements per commit follow the sensors
// touched, not the readings.
bool sqlite_connection::insert_history(const std::string& id, sensor_history& history, std::size_t depth) {
    if (history.chunks.empty()) return true;
    std::uint64_t newest = 0;
    for (history_chunk& chunk : history.chunks) {
        stmt_scope scope(history_insert_.get());
        history_table::bind_insert(history_insert_.get(), id, chunk);
        if (sqlite3_step(history_insert_.get()) != SQLITE_DONE) return false;
        newest = std::max(newest, chunk.last_seq());
    }
    stmt_scope scope(history_trim_.get());
    if (!history_table::bind_trim(history_trim_.get(), id, newest, depth)) return true;
    return sqlite3_step(history_trim_.get()) == SQLITE_DONE;
}

// COMMIT when every statement of the transaction worked, else ROLLBACK (unless a failed
// statement already rolled it back) with SQLite's message kept for last_error().
bool sqlite_connection::end_transaction(bool ok) {
    ok = ok && step_done(commit_.get());
    if (ok) return true;
    last_error_ = sqlite3_errmsg(db_.get());
    if (!sqlite3_get_autocommit(db_.get())) step_done(rollback_.get());
    return false;
}

bool sqlite_connection::forget(const std::vector<std::string>& sensor_ids, std::uint64_t& removed) {
    std::uint64_t deleted = 0;
    bool ok = step_done(begin_.get());
    for (const std::string& id : sensor_ids) {
        if (!ok) break;
        latest_table::bind_text(forget_latest_.get(), 1, id);
        ok = step_done(forget_latest_.get());
        deleted += ok ? static_cast<std::uint64_t>(sqlite3_changes(db_.get())) : 0;
        latest_table::bind_text(forget_history_.get(), 1, id);
        ok = ok && step_done(forget_history_.get());
        ok = ok && tiers_->forget(id);
    }
    if (!end_transaction(ok)) return false;
    removed = deleted;
    return true;
}

bool sqlite_connection::commit(const commit_rows& rows, std::uint64_t& new_sensors) {
    std::uint64_t inserted = 0;
    bool ok = step_done(begin_.get());
    for (auto it = rows.first; ok && it != rows.last; ++it) {
        if (it->second.latest) ok = upsert(*it->second.latest, inserted);
        ok = ok && insert_history(it->first, it->second.history, rows.history_depth);
    }
    if (rows.flush) {
        for (const tier_flush& f : *rows.flush) ok = ok && tiers_->insert_raw(*f.sensor_id, *f.points, f.last_seq);
    }
    if (!end_transaction(ok)) return false;
    new_sensors = inserted;
    return true;
}

}  // namespace sb
