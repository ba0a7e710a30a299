// Groups the fleet's sensors into devices, the unit that device formats (SenML, multi)
// publish as one message, and that Shelly and ESPHome formats give one device id or node.
#pragma once

#include "sim_reading.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sim {

// Consecutive sensors share a device: with 4 per device, sensors 1-4 are "dev-1", 5-8
// "dev-2", ...; the last device may have fewer. Since kinds cycle through five, up to five
// sensors per device never give one device two sensors of the same kind.
class device_layout {
public:
    // `kinds` parallels `sensor_ids`.
    device_layout(std::vector<std::string> sensor_ids, std::vector<sensor_kind> kinds,
                  unsigned per_device);

    std::size_t sensors() const { return sensor_ids_.size(); }
    std::size_t devices() const;
    const std::string& sensor_id(std::size_t sensor) const { return sensor_ids_[sensor]; }
    sensor_kind kind(std::size_t sensor) const { return kinds_[sensor]; }
    // Whether one of the device's sensors is of `kind`.
    bool device_has(std::size_t device, sensor_kind kind) const;

    std::size_t device_of(std::size_t sensor) const { return sensor / per_device_; }
    // "dev-1", "dev-2", ... (1-based).
    std::string device_name(std::size_t device) const;
    // The device's sensors are [first_sensor, end_sensor).
    std::size_t first_sensor(std::size_t device) const { return device * per_device_; }
    std::size_t end_sensor(std::size_t device) const;
    bool is_last_in_device(std::size_t sensor) const;

private:
    std::vector<std::string> sensor_ids_;
    std::vector<sensor_kind> kinds_;
    std::size_t per_device_;
};

}  // namespace sim
