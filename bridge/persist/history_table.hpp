#pragma once
// The SQLite table `history_chunk`: each sensor's recent readings, one row per sensor per
// commit holding that commit's points as a JSON array (history_chunk.hpp), stored in insertion
// order (rowid) with a unique index on (sensor_id, first_seq). Rows whose newest point is
// older than the newest --history-depth are deleted, so a sensor keeps at most depth points
// plus one partly expired row. The view `history` shows one row per point, for people with
// the sqlite3 shell. Only sqlite_connection uses it.
//
// Version 2 files kept one row per reading in a table `history`; opening one converts it (one
// chunk per sensor) and replaces it with the view. Version 3 files kept the chunks clustered
// by sensor (WITHOUT ROWID), so every commit rewrote pages across the whole table; opening one
// copies them into the version 4 table.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "persist/history_chunk.hpp"

struct sqlite3_stmt;

namespace sb::history_table {

extern const char* const schema_sql;         // creates the table and its index if missing
extern const char* const clustered_table_sql;  // a row when the table is version 3's (WITHOUT ROWID)
extern const char* const unclustered_sql;    // moves version 3's table aside (and drops the view)
extern const char* const copy_clustered_sql;  // after schema_sql: copies the rows over, drops the old table
extern const char* const view_sql;           // creates the view `history` if missing
extern const char* const insert_sql;         // bound by bind_insert
extern const char* const trim_sql;           // bound by bind_trim
extern const char* const select_sql;         // every row, by sensor_id then first_seq: sensor_id, points
extern const char* const old_table_sql;      // a row when the version-2 `history` table exists
extern const char* const old_select_sql;     // its rows, by sensor_id then seq, as latest_table reads them
extern const char* const old_drop_sql;

// Finishes the chunk; it and sensor_id must outlive the step.
void bind_insert(sqlite3_stmt* s, const std::string& sensor_id, history_chunk& chunk);

// Binds trim_sql so that the rows holding the newest `depth` seqs up to newest_seq stay. False
// when nothing can be older than that (newest_seq <= depth), or for seqs past 2^63 - 1, which
// SQLite orders as negative numbers.
bool bind_trim(sqlite3_stmt* s, const std::string& sensor_id, std::uint64_t newest_seq, std::uint64_t depth);

}  // namespace sb::history_table
