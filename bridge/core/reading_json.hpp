#pragma once
// Serialization of readings to the wire (DESIGN.md §5, §6). Done once per reading.
#include <string>

#include "core/reading.hpp"

namespace sb {

// {"sensorId":...,"value":...,"unit"?:...,"timestamp":...,"receivedAt":...,"seq":...,"topic":...}
std::string reading_to_json(const reading& r);

// {"type":"sensor.reading","payload":{...reading...}}
std::string reading_frame_json(const reading& r);

}  // namespace sb
