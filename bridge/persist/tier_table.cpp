#include "persist/tier_table.hpp"

namespace sb::tier_table {

// tier_raw in insertion order (rowid), as history_chunk: a commit appends its rows together.
// tier_raw_open indexes only the rows still to compact (few: the current hour's), so finding
// work does not walk the table; tier_raw_hour serves retention and eviction, oldest first.
const char* const schema_sql =
    "CREATE TABLE IF NOT EXISTS tier_raw(id INTEGER PRIMARY KEY, sensor_id TEXT NOT NULL,"
    " hour INTEGER NOT NULL, point_count INTEGER NOT NULL, compact INTEGER NOT NULL, points BLOB NOT NULL);"
    "CREATE INDEX IF NOT EXISTS tier_raw_sensor ON tier_raw(sensor_id, hour);"
    "CREATE INDEX IF NOT EXISTS tier_raw_hour ON tier_raw(hour);"
    "CREATE INDEX IF NOT EXISTS tier_raw_open ON tier_raw(hour, sensor_id) WHERE compact = 0;"
    "CREATE TABLE IF NOT EXISTS tier_agg(sensor_id TEXT NOT NULL, tier INTEGER NOT NULL,"
    " start INTEGER NOT NULL, kind INTEGER NOT NULL, data BLOB NOT NULL,"
    " PRIMARY KEY(sensor_id, tier, start)) WITHOUT ROWID;"
    "CREATE INDEX IF NOT EXISTS tier_agg_start ON tier_agg(tier, start);"
    "CREATE TABLE IF NOT EXISTS tier_mark(sensor_id TEXT PRIMARY KEY NOT NULL, seq INTEGER NOT NULL) WITHOUT ROWID;";

}  // namespace sb::tier_table
