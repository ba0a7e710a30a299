#pragma once
// A status topic speaks for a device: `zigbee2mqtt/porch/availability` gives the status id
// `porch`, while the device's readings are the sensors `porch.temperature`, `porch.humidity`.
// So a status for id D applies to D and to every sensor with a reading whose id starts with
// "D." (nested devices included). Pure logic on the network thread: the caller passes the
// time and publishes the changes.
#include <cstdint>
#include <string_view>
#include <vector>

#include "state/status_tracker.hpp"

namespace sb {

class sensor_registry;

// Applies online/offline to device_id itself, then to the sensors under it in id order: one
// ordered-map range scan of "<device_id>." (O(log n + sensors under it), never all sensors).
// Returns each change, the device's first. Sensors that appear later are not affected until
// the next status: their first reading makes them online like any reading does.
std::vector<status_change> apply_device_status(sensor_registry& latest, std::string_view device_id, bool online,
                                               std::int64_t now);

}  // namespace sb
