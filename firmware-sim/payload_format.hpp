// How a reading is put on the wire: topic and payload bytes.
#pragma once

#include "sim_reading.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sim {

enum class format_kind { canonical, bare };

// Names accepted by --format. New formats (senml, multi, mixed) add an entry here and a
// payload_format implementation in payload_format.cpp.
const std::map<std::string, format_kind>& format_names();

struct outgoing_message {
    std::string topic;
    std::string payload;
};

// Turns readings into MQTT messages. A format may emit one message per reading, several,
// or none yet (a batching format would hold readings back and emit them from flush()).
class payload_format {
public:
    virtual ~payload_format() = default;
    virtual std::vector<outgoing_message> encode(const sim_reading& reading) = 0;
    // Messages still held back at shutdown.
    virtual std::vector<outgoing_message> flush() { return {}; }
};

// `topic_prefix` has no trailing '/'; readings go to "<prefix>/<sensor id>".
std::unique_ptr<payload_format> make_payload_format(format_kind kind, std::string topic_prefix);

}  // namespace sim
