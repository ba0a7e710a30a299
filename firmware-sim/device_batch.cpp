#include "device_batch.hpp"

#include <utility>

namespace sim {

device_batch::device_batch(std::shared_ptr<const device_layout> layout)
    : layout_(std::move(layout)) {}

std::vector<sim_reading> device_batch::add(const sim_reading& reading) {
    const std::size_t device = layout_->device_of(reading.index);
    std::vector<sim_reading>& group = pending_[device];
    group.push_back(reading);
    if (!layout_->is_last_in_device(reading.index)) return {};
    std::vector<sim_reading> complete = std::move(group);
    pending_.erase(device);
    return complete;
}

std::vector<std::vector<sim_reading>> device_batch::drain() {
    std::vector<std::vector<sim_reading>> groups;
    for (auto& entry : pending_) groups.push_back(std::move(entry.second));
    pending_.clear();
    return groups;
}

}  // namespace sim
