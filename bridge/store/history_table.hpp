#pragma once
// The SQLite table `history`: every reading of every sensor, keyed (sensor_id, seq), at most
// the newest --history-depth per sensor. Rows hold what latest_cache::history_point holds;
// the topic is the sensor's latest one. Only sqlite_store uses it.
#include <cstdint>
#include <string>

#include "core/reading.hpp"

struct sqlite3_stmt;

namespace sb::history_table {

extern const char* const schema_sql;  // creates the table if missing
extern const char* const insert_sql;  // ?1..?8 as bound by latest_table::bind_reading_fields
extern const char* const trim_sql;    // ?1 = sensor_id, ?2 = highest seq to delete
extern const char* const select_sql;  // every row, by sensor_id then seq, as read by read_row

void bind_insert(sqlite3_stmt* s, const reading& r);

// Binds trim_sql so that the newest `depth` seqs up to newest_seq stay. False when nothing
// can be older than that (newest_seq <= depth), or for seqs past 2^63 - 1, which SQLite
// orders as negative numbers.
bool bind_trim(sqlite3_stmt* s, const std::string& sensor_id, std::uint64_t newest_seq, std::uint64_t depth);

// The current row of select_sql, topic left empty; false for an unknown value type.
bool read_row(sqlite3_stmt* s, reading& r);

}  // namespace sb::history_table
