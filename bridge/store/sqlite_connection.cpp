#include "store/sqlite_connection.hpp"

#include <string_view>

#include "store/history_table.hpp"
#include "store/latest_table.hpp"
#include "store/sqlite_store.hpp"

namespace sb {
namespace {

constexpr int busy_timeout_ms = 5000;

}  // namespace

sqlite_connection::sqlite_connection(const std::string& path) : path_(path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path_.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) fail("open");
    sqlite3_extended_result_codes(db_.get(), 1);
    sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
    // The first read of the file: a file that is not a database fails here.
    const std::string mode = query_text("PRAGMA journal_mode = WAL");
    if (mode != "wal" && mode != "memory") fail("journal mode is '" + mode + "', not WAL");
    exec_or_throw("PRAGMA synchronous = NORMAL", "setting synchronous");
    create_schema();
    upsert_ = prepare_or_throw(latest_table::upsert_sql);
    exists_ = prepare_or_throw(latest_table::exists_sql);
    history_insert_ = prepare_or_throw(history_table::insert_sql);
    history_trim_ = prepare_or_throw(history_table::trim_sql);
    begin_ = prepare_or_throw("BEGIN IMMEDIATE");
    commit_ = prepare_or_throw("COMMIT");
    rollback_ = prepare_or_throw("ROLLBACK");
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
    return clean;
}

void sqlite_connection::mark_clean() noexcept {
    sqlite3_exec(db_.get(), "INSERT OR REPLACE INTO meta(key, value) VALUES('clean_shutdown', '1')", nullptr, nullptr,
                 nullptr);
}

std::string sqlite_connection::query_text(const char* sql) {
    stmt_ptr s = prepare_or_throw(sql);
    if (sqlite3_step(s.get()) != SQLITE_ROW) fail(sql);
    return latest_table::column_text(s.get(), 0);
}

// Version 1 files gain the history table; files newer than this build are refused.
void sqlite_connection::create_schema() {
    if (std::stoll(query_text("PRAGMA user_version")) > latest_table::schema_version)
        fail("schema is newer than this version understands");
    exec_or_throw("BEGIN IMMEDIATE", "creating schema");
    exec_or_throw(latest_table::schema_sql, "creating schema");
    exec_or_throw(history_table::schema_sql, "creating schema");
    exec_or_throw("COMMIT", "creating schema");
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

void sqlite_connection::load_history(const std::function<void(reading&)>& on_row) {
    stmt_ptr s = prepare_or_throw(history_table::select_sql);
    int rc;
    reading r;
    while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
        if (history_table::read_row(s.get(), r)) on_row(r);
    }
    if (rc != SQLITE_DONE) fail("reading history");
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

// Inserts the rows, then trims each touched sensor once, below its newest seq in this batch.
bool sqlite_connection::insert_history(const commit_rows& rows) {
    std::unordered_map<std::string_view, std::uint64_t> newest;
    for (const reading* r = rows.history_first; r != rows.history_last; ++r) {
        stmt_scope scope(history_insert_.get());
        history_table::bind_insert(history_insert_.get(), *r);
        if (sqlite3_step(history_insert_.get()) != SQLITE_DONE) return false;
        auto [it, added] = newest.try_emplace(r->sensor_id, r->seq);
        if (!added && r->seq > it->second) it->second = r->seq;
    }
    for (const auto& [id, seq] : newest) {
        const std::string key(id);  // outlives the statement's use of it
        stmt_scope scope(history_trim_.get());
        if (!history_table::bind_trim(history_trim_.get(), key, seq, rows.history_depth)) continue;
        if (sqlite3_step(history_trim_.get()) != SQLITE_DONE) return false;
    }
    return true;
}

bool sqlite_connection::commit(const commit_rows& rows, std::uint64_t& new_sensors) {
    std::uint64_t inserted = 0;
    bool ok = step_done(begin_.get());
    for (auto it = rows.latest_first; ok && it != rows.latest_last; ++it) ok = upsert(it->second, inserted);
    ok = ok && insert_history(rows) && step_done(commit_.get());
    if (!ok) {
        last_error_ = sqlite3_errmsg(db_.get());
        // A failed statement may already have rolled the transaction back.
        if (!sqlite3_get_autocommit(db_.get())) step_done(rollback_.get());
        return false;
    }
    new_sensors = inserted;
    return true;
}

}  // namespace sb
