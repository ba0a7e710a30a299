#pragma once
// A run of one sensor's history points, packed into the text of a single SQLite row: history
// waits for the writer and is written as one row per sensor per commit, so the writer's cost
// follows the number of sensors, not the reading rate. Pure; pending_writes builds chunks on the
// network thread, sqlite_connection stores and reads them.
//
// A chunk is a JSON array of points, oldest first, each `[seq, timestamp, receivedAt, value,
// unit]` (value a number, boolean or string; unit "" when none), about 45 bytes a point. JSON
// rather than a binary blob so that an operator's sqlite3 shell reads it too: the `history`
// view (history_table.hpp) unpacks it with json_each.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "core/reading.hpp"
#include "wire/reading_json.hpp"

namespace sb {

class history_chunk {
public:
    // Appends r's point (its sensor id and topic are not stored: the row holds the id, and the
    // topic is the sensor's latest).
    void add(const reading& r);
    // The same point, its JSON texts copied from the reading's frame (reading_message_json with
    // reading_json_fields) instead of formatted again: the same bytes.
    void add(const reading& r, std::string_view frame, const reading_json_fields& fields);

    std::size_t points() const noexcept { return points_; }
    std::uint64_t first_seq() const noexcept { return first_seq_; }
    std::uint64_t last_seq() const noexcept { return last_seq_; }
    std::size_t bytes() const noexcept { return text_.size(); }

    // The chunk's JSON array, closed in place: no add() after it.
    std::string_view finish();
    bool finished() const noexcept { return finished_; }

    // Calls on_point for each point of a stored chunk, in order, as a reading with sensor_id
    // and an empty topic. Returns the number of points delivered; `whole` is false when the
    // chunk is not valid JSON (nothing delivered) or a point in it is malformed (skipped).
    static std::size_t decode(std::string_view json, const std::string& sensor_id,
                              const std::function<void(reading&)>& on_point, bool& whole);

private:
    std::string text_;  // "[" + points joined by ",", without the closing "]" until finish()
    std::size_t points_ = 0;
    std::uint64_t first_seq_ = 0, last_seq_ = 0;
    bool finished_ = false;
};

}  // namespace sb
