// The set of simulated sensors: ids, kinds and one signal model each.
#pragma once

#include "signal_model.hpp"
#include "sim_reading.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sim {

// Kinds cycle temperature, humidity, co2, power, door; ids carry the 1-based index across
// all sensors: temp-1, humidity-2, co2-3, power-4, door-5, temp-6, ...
class sensor_fleet {
public:
    sensor_fleet(unsigned count, std::uint64_t seed, double rate_hz);

    std::size_t size() const { return sensors_.size(); }
    const std::string& id(std::size_t index) const { return sensors_[index].id; }
    std::vector<std::string> ids() const;
    std::vector<sensor_kind> kinds() const;

    // Next sample of sensor `index`, stamped with `timestamp_ms`.
    sim_reading sample(std::size_t index, std::int64_t timestamp_ms);

private:
    struct sensor {
        std::string id;
        signal_model model;
    };
    std::vector<sensor> sensors_;
};

}  // namespace sim
