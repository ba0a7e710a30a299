#pragma once
// Serialization of readings to the wire (DESIGN.md §5, §6). Done once per reading.
#include <string>

#include "core/reading.hpp"

namespace sb {

// {"sensorId":...,"value":...,"unit"?:...,"timestamp":...,"receivedAt":...,"seq":...,"topic":...}
std::string reading_to_json(const reading& r);

// {"type":"sensor.reading","payload":{...reading...}}; with gap, the payload also carries
// "gap":true: the latest reading sent to a resuming client whose readings after its `since`
// are no longer in the history (it should refetch).
std::string reading_frame_json(const reading& r, bool gap = false);

}  // namespace sb
