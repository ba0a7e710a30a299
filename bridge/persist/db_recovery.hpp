#pragma once
// Start-up check of the database file. A file SQLite cannot read as a database, or one that
// fails PRAGMA quick_check, is moved aside (with its -wal and -shm) so the bridge can start on a
// fresh cache instead of refusing to start or serving from a damaged one. Only corruption does
// this: a file that cannot be opened for another reason (permissions, I/O) is left alone and
// the caller's open fails as before.
#include <string>

namespace sb {

struct db_check_result {
    enum class state { ok, missing, corrupt } status = state::ok;
    std::string detail;  // SQLite's message or quick_check's first line when corrupt
};

// Opens path without creating it and runs PRAGMA quick_check (which reads every page: about a
// second per few hundred MB). A failure other than corruption counts as ok here: the regular
// open reports it.
db_check_result check_db_file(const std::string& path);

// Renames path and its -wal/-shm companions to <path>.corrupt-<UTC yyyymmddThhmmssZ>[-N]
// (+ "-wal"/"-shm"). Returns the new name of the main file. Throws store_error on failure.
std::string move_db_aside(const std::string& path);

// check_db_file, and when corrupt: move_db_aside and an error-level log line naming both
// paths. Returns where the corrupt file went, empty when nothing was moved. In-memory and URI
// paths are not checked.
std::string recover_if_corrupt(const std::string& path);

}  // namespace sb
