#pragma once
// What waits for the SQLite writer: the latest reading per sensor (latest wins) and, for the
// history table, every reading in arrival order (past its bound, oldest dropped first). Both
// bounded; nothing here blocks. Not
// thread-safe: sqlite_store guards it with its mutex.
#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/reading.hpp"

namespace sb {

struct write_batch {
    std::unordered_map<std::string, reading> latest;  // one per sensor
    std::vector<reading> history;                     // oldest first, topics left empty
};

class pending_writes {
public:
    pending_writes(std::size_t max_latest, std::size_t max_history)
        : max_latest_(max_latest), max_history_(max_history) {}

    enum class latest_result { added, replaced, full };
    // Queues r as its sensor's latest; full when max_latest other sensors wait already.
    latest_result put_latest(reading r);
    // Queues a copy of r for the history. When max_history rows wait already (the writer is
    // failing: disk full, read-only) the oldest go first, a tenth of the bound at a time so
    // the erase stays cheap; returns how many were dropped.
    std::size_t put_history(const reading& r);

    bool empty() const noexcept { return batch_.latest.empty() && batch_.history.empty(); }
    std::size_t latest_size() const noexcept { return batch_.latest.size(); }
    std::size_t history_size() const noexcept { return batch_.history.size(); }

    // Everything waiting, leaving this empty.
    write_batch take();

    // Puts back rows a failed commit did not write, behind newer puts and within the
    // bounds; returns the history rows that did not fit.
    std::size_t requeue(write_batch unwritten);

private:
    std::size_t max_latest_;
    std::size_t max_history_;
    write_batch batch_;
};

}  // namespace sb
