#include "persist/db_recovery.hpp"

#include <sqlite3.h>

#include <ctime>
#include <filesystem>
#include <system_error>

#include "core/log.hpp"
#include "persist/sqlite_handles.hpp"
#include "persist/store_error.hpp"

namespace sb {
namespace {

bool is_corruption(int rc) noexcept {
    const int primary = rc & 0xff;
    return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

// SQLite 3.40.0 to 3.41.0 report "NULL value in <table>.<column>" for every row of a WITHOUT
// ROWID table whose PRIMARY KEY columns are not declared first (our history table): a known
// false positive of quick_check and integrity_check in those versions, fixed after them.
bool false_not_null_report(const std::string& line) noexcept {
    const int v = sqlite3_libversion_number();
    return v >= 3040000 && v <= 3041000 && line.rfind("NULL value in ", 0) == 0;
}

std::string utc_stamp() {
    const std::time_t now = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
    return buf;
}

// A name no file has yet: <path>.corrupt-<stamp>, then -2, -3, ... (two recoveries in a second).
std::string free_aside_name(const std::string& path) {
    const std::string base = path + ".corrupt-" + utc_stamp();
    std::string name = base;
    for (int n = 2; std::filesystem::exists(name) && n < 1000; ++n) name = base + "-" + std::to_string(n);
    return name;
}

}  // namespace

db_check_result check_db_file(const std::string& path) {
    db_check_result result;
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
        result.status = db_check_result::state::missing;
        return result;
    }
    sqlite3* raw = nullptr;
    // Read-only: nothing is checkpointed into (or deleted from) a file that may be evidence.
    int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr);
    db_ptr db(raw);
    if (rc != SQLITE_OK) return result;  // not corruption: the regular open reports it
    sqlite3_extended_result_codes(db.get(), 1);
    sqlite3_stmt* s = nullptr;
    rc = sqlite3_prepare_v2(db.get(), "PRAGMA quick_check", -1, &s, nullptr);
    stmt_ptr stmt(s);
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
        rc = sqlite3_step(stmt.get());
        if (rc != SQLITE_ROW) break;
        const auto* text = sqlite3_column_text(stmt.get(), 0);
        const std::string line = text ? reinterpret_cast<const char*>(text) : "";
        if (line == "ok" || false_not_null_report(line)) continue;
        result.status = db_check_result::state::corrupt;
        result.detail = line;
        return result;
    }
    if (rc == SQLITE_DONE) return result;
    if (is_corruption(rc)) {
        result.status = db_check_result::state::corrupt;
        result.detail = sqlite3_errmsg(db.get());
    }
    return result;
}

std::string move_db_aside(const std::string& path) {
    const std::string aside = free_aside_name(path);
    std::error_code ec;
    std::filesystem::rename(path, aside, ec);
    if (ec) throw store_error("cannot move corrupt database '" + path + "' aside: " + ec.message());
    for (const char* suffix : {"-wal", "-shm"}) {
        if (!std::filesystem::exists(path + suffix, ec)) continue;
        std::filesystem::rename(path + suffix, aside + suffix, ec);
        // A stale -wal next to the fresh file would be replayed into it: refuse to go on.
        if (ec) throw store_error("cannot move '" + path + suffix + "' aside: " + ec.message());
    }
    return aside;
}

std::string recover_if_corrupt(const std::string& path) {
    if (path.empty() || path == ":memory:" || path.rfind("file:", 0) == 0) return {};
    const db_check_result check = check_db_file(path);
    if (check.status != db_check_result::state::corrupt) return {};
    const std::string aside = move_db_aside(path);
    SB_LOG(error, "store", "DATABASE CORRUPT: moved aside, starting with an empty cache",
           "db=" + log_quote(path, 256) + " moved_to=" + log_quote(aside, 256) + " detail=" + log_quote(check.detail, 200));
    return aside;
}

}  // namespace sb
