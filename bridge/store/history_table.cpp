#include "store/history_table.hpp"

#include <sqlite3.h>

#include <limits>

#include "store/latest_table.hpp"

namespace sb::history_table {

const char* const schema_sql =
    "CREATE TABLE IF NOT EXISTS history("
    " sensor_id TEXT NOT NULL, value_type INTEGER NOT NULL,"
    " value_num REAL, value_text TEXT, unit TEXT NOT NULL DEFAULT '',"
    " timestamp INTEGER NOT NULL, received_at INTEGER NOT NULL, seq INTEGER NOT NULL,"
    " PRIMARY KEY(sensor_id, seq)) WITHOUT ROWID;";

// A seq handed out again after a crash (DESIGN.md §5 notes the window) replaces the old row.
const char* const insert_sql =
    "INSERT OR REPLACE INTO history(sensor_id, value_type, value_num, value_text, unit,"
    " timestamp, received_at, seq) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";

const char* const trim_sql = "DELETE FROM history WHERE sensor_id = ?1 AND seq <= ?2";

const char* const select_sql =
    "SELECT sensor_id, value_type, value_num, value_text, unit, timestamp, received_at, seq"
    " FROM history ORDER BY sensor_id, seq";

void bind_insert(sqlite3_stmt* s, const reading& r) { latest_table::bind_reading_fields(s, r); }

bool bind_trim(sqlite3_stmt* s, const std::string& sensor_id, std::uint64_t newest_seq, std::uint64_t depth) {
    constexpr auto max_ordered = static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max());
    if (newest_seq <= depth || newest_seq > max_ordered) return false;
    latest_table::bind_text(s, 1, sensor_id);
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(newest_seq - depth));
    return true;
}

bool read_row(sqlite3_stmt* s, reading& r) {
    r.topic.clear();
    return latest_table::read_row_fields(s, r);
}

}  // namespace sb::history_table
