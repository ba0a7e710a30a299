#include "persist/history_table.hpp"

#include <sqlite3.h>

#include <limits>

#include "persist/latest_table.hpp"

namespace sb::history_table {

// Rows in insertion order (rowid): a commit appends its rows together at the end of the table,
// and the rows a trim deletes were appended together by an older commit, so a commit writes
// the pages of its own rows plus the index's, not pages all over a table clustered by sensor.
const char* const schema_sql =
    "CREATE TABLE IF NOT EXISTS history_chunk(id INTEGER PRIMARY KEY,"
    " sensor_id TEXT NOT NULL, first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL,"
    " point_count INTEGER NOT NULL, points TEXT NOT NULL);"
    "CREATE UNIQUE INDEX IF NOT EXISTS history_chunk_sensor ON history_chunk(sensor_id, first_seq);";

const char* const clustered_table_sql =
    "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history_chunk' AND sql LIKE '%WITHOUT ROWID%'";

const char* const unclustered_sql =
    "DROP VIEW IF EXISTS history;"
    "ALTER TABLE history_chunk RENAME TO history_chunk_v3;";

const char* const copy_clustered_sql =
    "INSERT INTO history_chunk(sensor_id, first_seq, last_seq, point_count, points)"
    " SELECT sensor_id, first_seq, last_seq, point_count, points FROM history_chunk_v3 ORDER BY last_seq;"
    "DROP TABLE history_chunk_v3;";

// One row per stored point (a partly expired chunk shows its older points too).
const char* const view_sql =
    "CREATE VIEW IF NOT EXISTS history(sensor_id, seq, timestamp, received_at, value, unit) AS"
    " SELECT c.sensor_id, json_extract(p.value, '$[0]'), json_extract(p.value, '$[1]'),"
    " json_extract(p.value, '$[2]'), json_extract(p.value, '$[3]'), json_extract(p.value, '$[4]')"
    " FROM history_chunk AS c, json_each(c.points) AS p;";

// A seq handed out again after a crash (docs/PROTOCOL.md §1 notes the window) replaces the old row.
const char* const insert_sql =
    "INSERT OR REPLACE INTO history_chunk(sensor_id, first_seq, last_seq, point_count, points)"
    " VALUES(?1, ?2, ?3, ?4, ?5)";

// first_seq <= last_seq: the index narrows the sensor's rows to those that can go.
const char* const trim_sql =
    "DELETE FROM history_chunk WHERE sensor_id = ?1 AND first_seq <= ?2 AND last_seq <= ?2";

const char* const select_sql = "SELECT sensor_id, points FROM history_chunk ORDER BY sensor_id, first_seq";

const char* const old_table_sql = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'history'";

const char* const old_select_sql =
    "SELECT sensor_id, value_type, value_num, value_text, unit, timestamp, received_at, seq"
    " FROM history ORDER BY sensor_id, seq";

const char* const old_drop_sql = "DROP TABLE history";

void bind_insert(sqlite3_stmt* s, const std::string& sensor_id, history_chunk& chunk) {
    latest_table::bind_text(s, 1, sensor_id);
    // Signed 64-bit in SQLite: the seq's bit pattern, as in the latest table.
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(chunk.first_seq()));
    sqlite3_bind_int64(s, 3, static_cast<sqlite3_int64>(chunk.last_seq()));
    sqlite3_bind_int64(s, 4, static_cast<sqlite3_int64>(chunk.points()));
    const std::string_view json = chunk.finish();
    sqlite3_bind_text64(s, 5, json.data(), json.size(), SQLITE_STATIC, SQLITE_UTF8);
}

bool bind_trim(sqlite3_stmt* s, const std::string& sensor_id, std::uint64_t newest_seq, std::uint64_t depth) {
    constexpr auto max_ordered = static_cast<std::uint64_t>(std::numeric_limits<sqlite3_int64>::max());
    if (newest_seq <= depth || newest_seq > max_ordered) return false;
    latest_table::bind_text(s, 1, sensor_id);
    sqlite3_bind_int64(s, 2, static_cast<sqlite3_int64>(newest_seq - depth));
    return true;
}

}  // namespace sb::history_table
