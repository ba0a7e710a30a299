#include "support/sqlite_file.hpp"

#include <sqlite3.h>

#include <stdexcept>

namespace sb_it {
namespace {

bool false_not_null_report(const std::string& line) {
    const int v = sqlite3_libversion_number();
    return v >= 3040000 && v <= 3041000 && line.rfind("NULL value in ", 0) == 0;
}

}  // namespace

sqlite_file::sqlite_file(const std::filesystem::path& db) {
    if (sqlite3_open_v2(db.c_str(), &db_, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        const std::string why = db_ ? sqlite3_errmsg(db_) : "out of memory";
        sqlite3_close(db_);
        throw std::runtime_error("cannot open " + db.string() + ": " + why);
    }
    sqlite3_busy_timeout(db_, 5000);
}

sqlite_file::~sqlite_file() { sqlite3_close(db_); }

std::vector<std::vector<std::string>> sqlite_file::rows(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) != SQLITE_OK) {
        throw std::runtime_error(sql + ": " + sqlite3_errmsg(db_));
    }
    std::vector<std::vector<std::string>> out;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(s); ++c) {
            const auto* text = sqlite3_column_text(s, c);
            row.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
        }
        out.push_back(std::move(row));
    }
    const std::string err = sqlite3_errmsg(db_);
    sqlite3_finalize(s);
    if (rc != SQLITE_DONE) throw std::runtime_error(sql + ": " + err);
    return out;
}

std::string sqlite_file::check(const std::string& pragma) {
    try {
        std::string problems;
        for (const auto& row : rows("PRAGMA " + pragma)) {
            if (row.empty() || row[0] == "ok" || false_not_null_report(row[0])) continue;
            problems += row[0] + "\n";
        }
        return problems.empty() ? "ok" : problems;
    } catch (const std::runtime_error& e) {
        return e.what();
    }
}

}  // namespace sb_it
