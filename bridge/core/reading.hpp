#pragma once
// The normalized reading: the one shape every payload convention ends up as (docs/PROTOCOL.md §1).
#include <cstdint>
#include <memory>
#include <string>
#include <variant>

namespace sb {

// A finite number, a boolean or a short UTF-8 string (≤ 128 bytes).
using reading_value = std::variant<double, bool, std::string>;

// What a sensor is, as Home Assistant discovery describes it: shown with its readings, never a
// metric. Shared by every reading of the sensor; empty fields are left out of the JSON.
struct sensor_meta {
    std::string name;          // "Living Room Temperature"
    std::string device_class;  // "temperature", "door", ... (Home Assistant's classes)
    std::string device_id;     // the device's first identifier
    std::string device_name;   // "Living Room"
};

struct reading {
    std::string sensor_id;
    reading_value value;
    std::string unit;           // empty when the payload gave none
    std::int64_t timestamp = 0;   // ms since the epoch, the sensor's own time or receive time
    std::int64_t received_at = 0; // ms since the epoch, when the bridge received it
    std::uint64_t seq = 0;        // per sensor, strictly increasing, survives restarts
    std::string topic;
    // It came from what the broker retains, and was new to the bridge (docs/PROTOCOL.md §1).
    bool retained = false;
    // A hash of the MQTT payload it came from: a retained copy of the same bytes is no new
    // reading (ingest_pipeline). Kept with the latest value, not on the wire.
    std::uint64_t payload_hash = 0;
    // Set for a sensor a discovery config describes: name, deviceClass and device on the wire.
    std::shared_ptr<const sensor_meta> meta;
};

}  // namespace sb
