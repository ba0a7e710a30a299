#pragma once
// One sensor's history points of one commit, packed into a single SQLite row: the history is
// written as one row per sensor per commit, so the writer's cost follows the number of sensors,
// not the reading rate. Pure; sqlite_connection stores and reads the chunks.
//
// A chunk is a JSON array of points, oldest first, each `[seq, timestamp, receivedAt, value,
// unit]` (value a number, boolean or string; unit "" when none). JSON rather than a binary
// blob so that an operator's sqlite3 shell reads it too: the `history` view (history_table.hpp)
// unpacks it with json_each.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "core/reading.hpp"

namespace sb {

class history_chunk {
public:
    history_chunk();

    // Appends r's point (its sensor id and topic are not stored: the row holds the id, and the
    // topic is the sensor's latest).
    void add(const reading& r);

    std::size_t points() const noexcept { return points_; }
    std::uint64_t first_seq() const noexcept { return first_seq_; }
    std::uint64_t last_seq() const noexcept { return last_seq_; }

    // The chunk's JSON; no add() after it.
    std::string_view finish();

    // Calls on_point for each point of a stored chunk, in order, as a reading with sensor_id
    // and an empty topic. Returns the number of points delivered; `whole` is false when the
    // chunk is not valid JSON (nothing delivered) or a point in it is malformed (skipped).
    static std::size_t decode(std::string_view json, const std::string& sensor_id,
                              const std::function<void(reading&)>& on_point, bool& whole);

private:
    rapidjson::StringBuffer buf_;
    rapidjson::Writer<rapidjson::StringBuffer> w_;
    std::size_t points_ = 0;
    std::uint64_t first_seq_ = 0, last_seq_ = 0;
    bool finished_ = false;
};

}  // namespace sb
