// How readings are put on the wire: topics and payload bytes, and the status topics that go
// with them.
#pragma once

#include "device_layout.hpp"
#include "sim_reading.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace sim {

enum class format_kind { canonical, bare, senml, multi, shelly_gen2, esphome, mixed };

// Names accepted by --format.
const std::map<std::string, format_kind>& format_names();

// The payload convention of one message (docs/CONVENTIONS.md); faults imitate it.
enum class wire_shape { canonical, bare, senml, multi, shelly_gen2, esphome };

// One reading inside a message, named as the bridge will name it.
struct carried_reading {
    // bridge sensor id: "temp-1", "dev-1:temp", "dev-1.temperature",
    // "shellyplusht-a8032a000001.temperature:0.tC", "esphome-dev-1.temperature"
    std::string id;
    std::string value;  // JSON text as sent: "21.4", "true"
    std::string unit;   // physical unit for the log line ("°C", "%", ...), may be empty
};

struct outgoing_message {
    std::string topic;
    std::string payload;
    wire_shape shape = wire_shape::canonical;
    // Sensor id; device name for senml/multi; Shelly device id; ESPHome node name.
    std::string subject;
    std::vector<carried_reading> readings;  // empty for status messages and faults
};

outgoing_message make_plain_message(std::string topic, std::string payload);

// What a format needs to know about the fleet.
struct format_context {
    std::string topic_prefix;  // no trailing '/'
    std::shared_ptr<const device_layout> layout;
    std::vector<std::size_t> devices;  // devices this format speaks for: all, unless mixed
    std::uint64_t seed = 0;
};

// Turns readings into MQTT messages. A format may emit one message per reading, several,
// or none yet: device formats hold readings back until the device's last sensor has been
// sampled, and emit what is left from flush().
class payload_format {
public:
    virtual ~payload_format() = default;
    virtual std::vector<outgoing_message> encode(const sim_reading& reading) = 0;
    // Messages still held back at shutdown.
    virtual std::vector<outgoing_message> flush() { return {}; }
    // Retained status messages ("online"/"offline") of the sensors or devices it speaks for.
    virtual std::vector<outgoing_message> statuses(const char* state) const = 0;
    // Retained messages a device publishes on every connect before its birth message (ESPHome's
    // Home Assistant discovery configs); none for most formats.
    virtual std::vector<outgoing_message> announcements() const { return {}; }
    // One line on how sensors map to formats, for the start-up log; empty when obvious.
    virtual std::string describe() const { return {}; }
};

std::unique_ptr<payload_format> make_payload_format(format_kind kind, format_context context);

// Every device of `layout`, for a format that speaks for the whole fleet.
std::vector<std::size_t> all_devices(const device_layout& layout);

}  // namespace sim
