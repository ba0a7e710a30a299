#pragma once
// The database's instance id (docs/PROTOCOL.md §3, `connected`): 128 random bits as 32
// lower-case hex digits, made when the file is made and kept in its `meta` table under
// `instance`. A seq means something only together with the instance that handed it out: the
// same file keeps its id across restarts, a new file (a fresh start, a corrupt one moved aside
// by db_recovery, `:memory:`) gets a new one. Only sqlite_connection uses it.
#include <string>
#include <string_view>

struct sqlite3;

namespace sb::store_instance {

// 16 bytes from OpenSSL's CSPRNG (RAND_bytes), hex-encoded. Throws store_error when the
// generator fails (start-up only).
std::string make();

// Exactly 32 characters of [0-9a-f].
bool valid(std::string_view id);

// Inside the schema transaction: the file's instance, written first when meta holds none (a new
// file, or one from before schema version 7) or holds something else (edited by hand): a new id
// only makes clients take a snapshot, never replay the wrong readings. Empty when SQLite
// failed (its message is the connection's); throws store_error when the generator does.
std::string ensure(sqlite3* db);

}  // namespace sb::store_instance
