#pragma once
// Serialization of readings to the wire (docs/PROTOCOL.md §1, §3). Done once per reading.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/reading.hpp"

namespace sb {

// {"sensorId":...,"value":...,"unit"?:...,"timestamp":...,"receivedAt":...,"seq":...,"topic":...}
std::string reading_to_json(const reading& r);

// {"type":"sensor.reading","payload":{...reading...}}; with gap, the payload also carries
// "gap":true: the latest reading sent to a resuming client whose readings after its `since`
// are no longer in the history (it should refetch).
std::string reading_message_json(const reading& r, bool gap = false);

// Where a reading's fields sit in its message text, as JSON (offset, length): the history point
// of the same reading is these texts again, copied rather than formatted a second time.
struct reading_json_fields {
    struct span {
        std::uint32_t at = 0, size = 0;
        std::string_view in(std::string_view message) const { return message.substr(at, size); }
    };
    span value, unit, timestamp, received_at, seq;  // unit: size 0 when the reading has none
};
std::string reading_message_json(const reading& r, reading_json_fields& fields);

}  // namespace sb
