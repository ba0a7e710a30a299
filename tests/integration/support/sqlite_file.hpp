#pragma once
// The bridge's SQLite file read directly, as an operator would with the sqlite3 shell: to check
// it after a crash or a fault, independently of the bridge.
#include <filesystem>
#include <string>
#include <vector>

struct sqlite3;

namespace sb_it {

class sqlite_file {
public:
    // Opens db (never creates it). Throws std::runtime_error when it cannot be opened.
    explicit sqlite_file(const std::filesystem::path& db);
    ~sqlite_file();
    sqlite_file(const sqlite_file&) = delete;
    sqlite_file& operator=(const sqlite_file&) = delete;

    // Every row of sql, each column as text (NULL as ""). Throws std::runtime_error on an error.
    std::vector<std::vector<std::string>> rows(const std::string& sql);

    // "ok", or the problems `PRAGMA <pragma>` (integrity_check, quick_check) reports, or the
    // error that stopped it. Ignores SQLite 3.40's false "NULL value in" reports (db_recovery.cpp).
    std::string check(const std::string& pragma = "integrity_check");

private:
    sqlite3* db_ = nullptr;
};

}  // namespace sb_it
