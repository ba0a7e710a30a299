#pragma once
// What waits for the SQLite writer, per sensor in one map (one lookup per reading): its latest
// reading (latest wins) and its history points, already packed as history_chunks (a point
// costs ~45 bytes here, not a copy of the reading). Bounded; nothing here blocks. Not
// thread-safe: sqlite_store guards it with its mutex.
#include <cstddef>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/reading.hpp"
#include "persist/history_chunk.hpp"
#include "persist/pending_hint.hpp"
#include "persist/point_chunk.hpp"

namespace sb {

// One sensor's waiting history: chunks of at most chunk_points points, oldest first; only the
// last one is still filled. Usually one chunk (a vector of one: the cheapest to set up for the
// many sensors that send a point or two per commit).
struct sensor_history {
    std::vector<history_chunk> chunks;
    std::size_t points = 0;
};

struct pending_sensor {
    std::optional<reading> latest;  // topics kept: the latest row has one
    sensor_history history;         // topics not stored
    std::vector<chunk_point> raw;   // the time-tiered history's points (tier_table.hpp), oldest put first
    std::uint64_t raw_last_seq = 0;  // the highest seq among them
};

struct write_batch {
    std::unordered_map<std::string, pending_sensor> sensors;
    std::size_t latest_rows = 0;      // sensors with a latest waiting
    std::size_t history_points = 0;
    std::size_t raw_points = 0;       // tiered history points, all sensors
    std::vector<std::string> forgotten;  // sensors whose rows go, before the rows above are written
};

class pending_writes {
public:
    // max_latest: sensors with a latest row waiting at most; max_history: history points
    // waiting at most, all sensors together (0: no history); history_depth: points a sensor
    // keeps, so older waiting ones need not be written; max_raw: tiered history points waiting
    // at most, all sensors together (0: no tiered history).
    pending_writes(std::size_t max_latest, std::size_t max_history, std::size_t history_depth, std::size_t max_raw = 0);

    enum class latest_result { added, replaced, full };
    struct put_result {
        latest_result latest = latest_result::added;
        std::size_t history_dropped = 0;
        std::size_t raw_dropped = 0;  // tiered history points
    };
    // Queues r as its sensor's latest (full when max_latest other sensors wait already) and,
    // with history, appends its point, and with the tiered history its time and value (past
    // max_raw waiting, the sensor's oldest waiting point goes, or this one; counted as
    // raw_dropped); history points dropped for it: a sensor's whole chunks
    // that fell out of the depth (they would be deleted at once), and, when max_history points
    // wait already (the writer is failing: disk full, read-only), the sensor's oldest chunk, or
    // r's point itself when the sensor has no older chunk.
    put_result put(reading r, bool with_history);
    // The same, the history point copied from the reading's frame (history_chunk::add); with a
    // hint (may be null), the sensor's record is found through it while it is current, and the
    // hint is updated.
    put_result put(reading r, bool with_history, std::string_view frame, const reading_json_fields& fields,
                   pending_hint* hint = nullptr);

    bool empty() const noexcept { return batch_.sensors.empty() && batch_.forgotten.empty(); }

    // Drops what waits for the sensor and queues the deletion of its rows (taken with the next
    // batch, done before its writes).
    void forget(std::string_view sensor_id);
    std::size_t latest_size() const noexcept { return batch_.latest_rows; }
    std::size_t history_size() const noexcept { return batch_.history_points; }
    std::size_t raw_size() const noexcept { return batch_.raw_points; }

    // Everything waiting, leaving this empty.
    write_batch take();

    // Puts back what a failed commit did not write: older than (before) anything put since,
    // within the bounds, except sensors forgotten since; returns the history points that did
    // not fit (raw_dropped: the tiered points). Unwritten forgets go back too.
    std::size_t requeue(write_batch unwritten, std::size_t* raw_dropped = nullptr);

private:
    put_result put(reading r, bool with_history, std::string_view frame, const reading_json_fields& fields, bool from_frame,
                   pending_hint* hint);
    pending_sensor* find_or_add(const std::string& sensor_id, pending_hint* hint);
    std::size_t put_history(sensor_history& h, const reading& r, std::string_view frame, const reading_json_fields* fields);
    std::size_t drop_front(sensor_history& h);
    std::size_t trim_to_depth(sensor_history& h);
    std::size_t put_raw(pending_sensor& s, const reading& r);

    std::size_t max_latest_;
    std::size_t max_history_;
    std::size_t depth_;
    std::size_t chunk_points_;
    std::size_t max_raw_;
    write_batch batch_;
    std::uint64_t generation_ = 1;  // bumped when records may move or go: hints made before are stale
};

}  // namespace sb
