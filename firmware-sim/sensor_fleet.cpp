#include "sensor_fleet.hpp"

#include <array>

namespace sim {
namespace {

constexpr std::array<sensor_kind, 5> k_kind_cycle{
    sensor_kind::temperature, sensor_kind::humidity, sensor_kind::co2, sensor_kind::power,
    sensor_kind::door};

}  // namespace

sensor_fleet::sensor_fleet(unsigned count, std::uint64_t seed, double rate_hz) {
    sensors_.reserve(count);
    for (unsigned i = 0; i < count; ++i) {
        const sensor_kind kind = k_kind_cycle[i % k_kind_cycle.size()];
        const unsigned number = i + 1;
        sensors_.push_back(sensor{std::string(kind_stem(kind)) + "-" + std::to_string(number),
                                  signal_model(kind, seed, number, 1.0 / rate_hz)});
    }
}

std::vector<std::string> sensor_fleet::ids() const {
    std::vector<std::string> result;
    result.reserve(sensors_.size());
    for (const sensor& s : sensors_) result.push_back(s.id);
    return result;
}

std::vector<sensor_kind> sensor_fleet::kinds() const {
    std::vector<sensor_kind> result;
    result.reserve(sensors_.size());
    for (const sensor& s : sensors_) result.push_back(s.model.kind());
    return result;
}

sim_reading sensor_fleet::sample(std::size_t index, std::int64_t timestamp_ms) {
    sensor& s = sensors_[index];
    sim_reading reading;
    reading.index = index;
    reading.sensor_id = s.id;
    reading.kind = s.model.kind();
    reading.value = s.model.next();
    reading.unit = kind_unit(reading.kind);
    reading.timestamp_ms = timestamp_ms;
    return reading;
}

}  // namespace sim
