#include "device_layout.hpp"

#include <algorithm>
#include <utility>

namespace sim {

device_layout::device_layout(std::vector<std::string> sensor_ids, unsigned per_device)
    : sensor_ids_(std::move(sensor_ids)), per_device_(std::max(per_device, 1u)) {}

std::size_t device_layout::devices() const {
    return (sensor_ids_.size() + per_device_ - 1) / per_device_;
}

std::string device_layout::device_name(std::size_t device) const {
    return "dev-" + std::to_string(device + 1);
}

std::size_t device_layout::end_sensor(std::size_t device) const {
    return std::min(first_sensor(device) + per_device_, sensor_ids_.size());
}

bool device_layout::is_last_in_device(std::size_t sensor) const {
    return sensor + 1 == end_sensor(device_of(sensor));
}

}  // namespace sim
