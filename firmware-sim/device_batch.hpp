// Holds a device's readings back until all of its sensors have been sampled.
#pragma once

#include "device_layout.hpp"
#include "sim_reading.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <vector>

namespace sim {

// The publisher samples sensors in index order, so a device's readings arrive one after
// the other and its last sensor completes the group. Bounded: at most one group per device.
class device_batch {
public:
    explicit device_batch(std::shared_ptr<const device_layout> layout);

    // The device's complete group when `reading` is its last sensor; otherwise empty.
    std::vector<sim_reading> add(const sim_reading& reading);
    // Groups not yet complete (at shutdown), in device order; leaves the batch empty.
    std::vector<std::vector<sim_reading>> drain();

private:
    std::shared_ptr<const device_layout> layout_;
    std::map<std::size_t, std::vector<sim_reading>> pending_;
};

}  // namespace sim
