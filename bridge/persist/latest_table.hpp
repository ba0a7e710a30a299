#pragma once
// The SQLite table `latest`: its schema and the mapping between a reading and one of its rows.
// Only sqlite_store uses it; kept apart so the writer's threading reads on its own.
#include "core/reading.hpp"

struct sqlite3_stmt;

namespace sb::latest_table {

// PRAGMA user_version and meta.schema_version of the whole file. 2 added the history table,
// 3 made it one row per sensor per commit, 4 stores those rows in insertion order
// (history_table.hpp), 5 keeps whether the latest reading was retained and its payload's hash,
// 6 adds the time-tiered history (tier_table.hpp), 7 the file's instance id in meta
// (store_instance.hpp); older files are brought up to date on open.
constexpr int schema_version = 7;

extern const char* const schema_sql;   // creates latest and meta if missing
extern const char* const version_sql;  // sets the version, once the file is brought up to it
extern const char* const has_retained_sql;  // a row when latest has version 5's columns
extern const char* const add_retained_sql;  // adds them to an older file's latest
extern const char* const upsert_sql;  // ?1..?11 as bound by bind_reading
extern const char* const exists_sql;  // ?1 = sensor_id; a row when the sensor is stored
extern const char* const select_sql;  // every row, ordered by sensor_id, as read by read_row

// Binds the reading to upsert_sql's parameters; its strings must outlive the statement's step.
void bind_reading(sqlite3_stmt* s, const reading& r);
// Binds ?1..?8 the same way (every column but the topic): shared with the history table.
void bind_reading_fields(sqlite3_stmt* s, const reading& r);

// Binds text without copying; it must outlive the statement's step.
void bind_text(sqlite3_stmt* s, int param, const std::string& text);

// The current row of select_sql; false for a value type this version does not know.
bool read_row(sqlite3_stmt* s, reading& r);
// Columns 0..7 the same way (every column but the topic): shared with the history table.
bool read_row_fields(sqlite3_stmt* s, reading& r);

std::string column_text(sqlite3_stmt* s, int col);

}  // namespace sb::latest_table
