#include "persist/store_instance.hpp"

#include <openssl/rand.h>
#include <sqlite3.h>

#include "core/log.hpp"
#include "persist/latest_table.hpp"
#include "persist/sqlite_handles.hpp"
#include "persist/store_error.hpp"

namespace sb::store_instance {
namespace {

constexpr std::size_t id_bytes = 16;

const char* const select_sql = "SELECT value FROM meta WHERE key = 'instance'";
const char* const write_sql = "INSERT OR REPLACE INTO meta(key, value) VALUES('instance', ?1)";

// The stored value, empty when there is none; ok is false after a SQLite failure.
std::string stored(sqlite3* db, bool& ok) {
    sqlite3_stmt* raw = nullptr;
    ok = sqlite3_prepare_v2(db, select_sql, -1, &raw, nullptr) == SQLITE_OK;
    const stmt_ptr s(raw);
    if (!ok) return {};
    const int rc = sqlite3_step(s.get());
    ok = rc == SQLITE_ROW || rc == SQLITE_DONE;
    return rc == SQLITE_ROW ? latest_table::column_text(s.get(), 0) : std::string();
}

bool write(sqlite3* db, const std::string& id) {
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v2(db, write_sql, -1, &raw, nullptr) != SQLITE_OK) return false;
    const stmt_ptr s(raw);
    latest_table::bind_text(s.get(), 1, id);
    return sqlite3_step(s.get()) == SQLITE_DONE;
}

}  // namespace

std::string make() {
    unsigned char bytes[id_bytes];
    if (RAND_bytes(bytes, static_cast<int>(id_bytes)) != 1)
        throw store_error("cannot make the database's instance id: no random bytes");
    static constexpr char digits[] = "0123456789abcdef";
    std::string id;
    id.reserve(2 * id_bytes);
    for (const unsigned char b : bytes) {
        id.push_back(digits[b >> 4]);
        id.push_back(digits[b & 0x0f]);
    }
    return id;
}

bool valid(std::string_view id) {
    if (id.size() != 2 * id_bytes) return false;
    for (const char c : id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
    }
    return true;
}

std::string ensure(sqlite3* db) {
    bool ok = false;
    const std::string old = stored(db, ok);
    if (!ok) return {};
    if (valid(old)) return old;
    std::string id = make();
    if (!write(db, id)) return {};
    if (old.empty()) {
        SB_LOG(info, "store", "new database instance", "instance=" + id);
    } else {
        SB_LOG(warn, "store", "the stored instance id was not one: replaced (clients take a snapshot)",
               "was=" + log_quote(old, 64) + " instance=" + id);
    }
    return id;
}

}  // namespace sb::store_instance
