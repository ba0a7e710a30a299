#pragma once
// Owning handles for a SQLite connection and its statements, and a scope that leaves a
// reused statement ready for its next use. Only the store's writer uses them.
#include <sqlite3.h>

#include <memory>
#include <string>
#include <string_view>

#include "persist/store_error.hpp"

namespace sb {

struct db_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct stmt_finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

// Resets and clears a reused statement whatever happened to this use; a reset statement also
// holds no read transaction open.
class stmt_scope {
public:
    explicit stmt_scope(sqlite3_stmt* s) noexcept : s_(s) {}
    ~stmt_scope() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    stmt_scope(const stmt_scope&) = delete;
    stmt_scope& operator=(const stmt_scope&) = delete;

private:
    sqlite3_stmt* s_;
};

// A statement prepared to be reused (SQLITE_PREPARE_PERSISTENT). Throws store_error.
inline stmt_ptr prepare_persistent(sqlite3* db, const char* sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
        throw store_error(std::string("cannot prepare '") + sql + "': " + sqlite3_errmsg(db));
    return stmt_ptr(s);
}

// A BLOB column's bytes, valid until the statement steps or resets.
inline std::string_view column_blob(sqlite3_stmt* s, int i) {
    const void* p = sqlite3_column_blob(s, i);
    return p ? std::string_view(static_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
             : std::string_view();
}

}  // namespace sb
