#include "persist/latest_table.hpp"

#include <sqlite3.h>

namespace sb::latest_table {
namespace {

enum class value_type : int { number = 0, boolean = 1, text = 2 };

}  // namespace

const char* const schema_sql =
    "CREATE TABLE IF NOT EXISTS latest("
    " sensor_id TEXT PRIMARY KEY NOT NULL, value_type INTEGER NOT NULL,"
    " value_num REAL, value_text TEXT, unit TEXT NOT NULL DEFAULT '',"
    " timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL,"
    " seq INTEGER NOT NULL, topic TEXT NOT NULL DEFAULT '',"
    " retained INTEGER NOT NULL DEFAULT 0, payload_hash INTEGER NOT NULL DEFAULT 0) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)"
    " WITHOUT ROWID;";

const char* const version_sql =
    "INSERT OR REPLACE INTO meta(key, value) VALUES('schema_version', '7');"
    "PRAGMA user_version = 7;";

const char* const has_retained_sql = "SELECT 1 FROM pragma_table_info('latest') WHERE name = 'retained'";

const char* const add_retained_sql =
    "ALTER TABLE latest ADD COLUMN retained INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE latest ADD COLUMN payload_hash INTEGER NOT NULL DEFAULT 0;";

const char* const upsert_sql =
    "INSERT INTO latest(sensor_id, value_type, value_num, value_text, unit, timestamp,"
    " received_at, seq, topic, retained, payload_hash) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    " ON CONFLICT(sensor_id) DO UPDATE SET value_type = excluded.value_type,"
    " value_num = excluded.value_num, value_text = excluded.value_text,"
    " unit = excluded.unit, timestamp = excluded.timestamp,"
    " received_at = excluded.received_at, seq = excluded.seq, topic = excluded.topic,"
    " retained = excluded.retained, payload_hash = excluded.payload_hash";

const char* const exists_sql = "SELECT 1 FROM latest WHERE sensor_id = ?1";

const char* const select_sql =
    "SELECT sensor_id, value_type, value_num, value_text, unit, timestamp, received_at, seq,"
    " topic, retained, payload_hash FROM latest ORDER BY sensor_id";

std::string column_text(sqlite3_stmt* s, int col) {
    const auto* p = sqlite3_column_text(s, col);
    return p ? std::string(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(sqlite3_column_bytes(s, col)))
             : std::string();
}

void bind_text(sqlite3_stmt* s, int param, const std::string& text) {
    sqlite3_bind_text64(s, param, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

void bind_reading(sqlite3_stmt* s, const reading& r) {
    bind_reading_fields(s, r);
    bind_text(s, 9, r.topic);
    sqlite3_bind_int(s, 10, r.retained ? 1 : 0);
    sqlite3_bind_int64(s, 11, static_cast<sqlite3_int64>(r.payload_hash));  // its bit pattern, as seq
}

void bind_reading_fields(sqlite3_stmt* s, const reading& r) {
    bind_text(s, 1, r.sensor_id);
    if (const auto* num = std::get_if<double>(&r.value)) {
        sqlite3_bind_int(s, 2, static_cast<int>(value_type::number));
        sqlite3_bind_double(s, 3, *num);
    } else if (const auto* flag = std::get_if<bool>(&r.value)) {
        sqlite3_bind_int(s, 2, static_cast<int>(value_type::boolean));
        sqlite3_bind_int(s, 3, *flag ? 1 : 0);
    } else {
        sqlite3_bind_int(s, 2, static_cast<int>(value_type::text));
        bind_text(s, 4, std::get<std::string>(r.value));
    }
    bind_text(s, 5, r.unit);
    sqlite3_bind_int64(s, 6, r.timestamp);
    sqlite3_bind_int64(s, 7, r.received_at);
    // SQLite integers are signed 64-bit: store the seq's bit pattern, read it back the same way.
    sqlite3_bind_int64(s, 8, static_cast<sqlite3_int64>(r.seq));
}

bool read_row(sqlite3_stmt* s, reading& r) {
    if (!read_row_fields(s, r)) return false;
    r.topic = column_text(s, 8);
    r.retained = sqlite3_column_int(s, 9) != 0;
    r.payload_hash = static_cast<std::uint64_t>(sqlite3_column_int64(s, 10));
    return true;
}

bool read_row_fields(sqlite3_stmt* s, reading& r) {
    r.sensor_id = column_text(s, 0);
    switch (static_cast<value_type>(sqlite3_column_int(s, 1))) {
        case value_type::number: r.value = sqlite3_column_double(s, 2); break;
        case value_type::boolean: r.value = sqlite3_column_int64(s, 2) != 0; break;
        case value_type::text: r.value = column_text(s, 3); break;
        default: return false;
    }
    r.unit = column_text(s, 4);
    r.timestamp = sqlite3_column_int64(s, 5);
    r.received_at = sqlite3_column_int64(s, 6);
    r.seq = static_cast<std::uint64_t>(sqlite3_column_int64(s, 7));
    return true;
}

}  // namespace sb::latest_table
