// Plausible, deterministic signal for one simulated sensor.
#pragma once

#include "sim_reading.hpp"

#include <cstdint>
#include <random>

namespace sim {

// Produces successive samples of one sensor. Time advances by `sample_period_s` per
// sample (simulated time, not the wall clock), so a given seed, index and rate always
// yield the same sequence, whatever the machine load.
class signal_model {
public:
    signal_model(sensor_kind kind, std::uint64_t seed, unsigned index, double sample_period_s);

    reading_value next();
    sensor_kind kind() const { return kind_; }

private:
    double next_temperature();
    double next_humidity();
    double next_co2();
    double next_power();
    bool next_door();

    double gaussian(double stddev);
    double uniform(double low, double high);
    // Probability that an event with mean interval `mean_interval_s` occurs within one sample.
    bool event(double mean_interval_s);
    // Mean-reverting random walk step (Ornstein-Uhlenbeck), independent of the sample rate.
    void drift_step(double reversion_s, double volatility);
    double day_wave() const;

    sensor_kind kind_;
    double dt_;             // simulated seconds per sample
    double t_ = 0.0;        // simulated seconds since start
    std::mt19937_64 rng_;

    double base_ = 0.0;     // long-run mean of the sensor
    double phase_ = 0.0;    // phase of the daily wave
    double drift_ = 0.0;    // slow random offset
    double level_ = 0.0;    // current physical level (co2 ppm, power step W)
    int occupants_ = 0;     // people in the room (co2)
    bool open_ = false;     // door state
};

}  // namespace sim
