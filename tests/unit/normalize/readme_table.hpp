#pragma once
// The "What it accepts" table of docs/CONVENTIONS.md (once the README's), read back for
// conventions_test: one row per message,
//   | convention | `--topic` | topic | payload | result |
// with the result written as the doc shows it:
//   `porch.temperature` = 21.6 °C at 2026-11-18T11:06:40.000Z, `porch.humidity` = 40
//   `porch` is offline
//   rejected `invalid_json`
// (no `at`: timed on receipt).
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "normalize_fixtures.hpp"

namespace sb::test {

struct readme_row {
    std::string convention;
    std::string filter;
    std::string topic;
    std::string payload;
    std::string result;
};

inline std::string read_text(const char* path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `x` -> x; a cell that is not one code span comes back as it is.
inline std::string unquote_code(const std::string& cell) {
    if (cell.size() >= 2 && cell.front() == '`' && cell.back() == '`' &&
        cell.find('`', 1) == cell.size() - 1) {
        return cell.substr(1, cell.size() - 2);
    }
    return cell;
}

inline std::vector<std::string> table_cells(const std::string& line) {
    std::vector<std::string> cells;
    std::size_t at = 1;  // past the leading '|'
    for (std::size_t bar = line.find('|', at); bar != std::string::npos; bar = line.find('|', at)) {
        std::string cell = line.substr(at, bar - at);
        cell.erase(0, cell.find_first_not_of(' '));
        cell.erase(cell.find_last_not_of(' ') + 1);
        cells.push_back(cell);
        at = bar + 1;
    }
    return cells;
}

// The rows of the first table under `heading` (a "## ..." line) whose header starts with
// "| convention | `--topic` |".
inline std::vector<readme_row> readme_rows(const std::string& readme, const std::string& heading) {
    std::vector<readme_row> rows;
    const auto section = readme.find("\n" + heading + "\n");
    if (section == std::string::npos) return rows;
    const auto table = readme.find("\n| convention | `--topic` |", section);
    const auto next_section = readme.find("\n## ", section + 1);
    if (table == std::string::npos || table > next_section) return rows;
    std::istringstream in(readme.substr(table + 1));
    std::string line;
    std::getline(in, line);  // header
    std::getline(in, line);  // |---|
    while (std::getline(in, line) && line.rfind("| ", 0) == 0) {
        const auto c = table_cells(line);
        if (c.size() != 5) {
            rows.push_back({"<malformed row> " + line, "", "", "", ""});
            continue;
        }
        rows.push_back({c[0], unquote_code(c[1]), unquote_code(c[2]), unquote_code(c[3]), c[4]});
    }
    return rows;
}

// A normalizer result in the doc's words (see the top of this file).
inline std::string render_for_readme(const normalize_result& r) {
    if (r.ignored) return "ignored";
    if (r.rejected) return "rejected `" + std::string(to_string(*r.rejected)) + "`";
    if (r.status) return "`" + r.status->sensor_id + "` is " + (r.status->online ? "online" : "offline");
    std::string out;
    for (const reading& x : r.readings) {
        if (!out.empty()) out += ", ";
        out += "`" + x.sensor_id + "` = " + render_value(x.value);
        if (!x.unit.empty()) out += " " + x.unit;
        if (x.timestamp != x.received_at) out += " at " + render_utc(x.timestamp);
    }
    return out;
}

}  // namespace sb::test
