#include "device_layout.hpp"

#include <algorithm>
#include <utility>

namespace sim {

device_layout::device_layout(std::vector<std::string> sensor_ids, std::vector<sensor_kind> kinds,
                             unsigned per_device)
    : sensor_ids_(std::move(sensor_ids)),
      kinds_(std::move(kinds)),
      per_device_(std::max(per_device, 1u)) {
    kinds_.resize(sensor_ids_.size(), sensor_kind::temperature);
}

bool device_layout::device_has(std::size_t device, sensor_kind kind) const {
    for (std::size_t s = first_sensor(device); s < end_sensor(device); ++s) {
        if (kinds_[s] == kind) return true;
    }
    return false;
}

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
