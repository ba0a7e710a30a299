#include "signal_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace sim {
namespace {

constexpr double k_two_pi = 6.283185307179586;
// A compressed "day" so that the daily swing is visible in a short demo.
constexpr double k_day_s = 900.0;

// Divide by an exact power of ten so 20.9 prints as "20.9", not "20.900000000000002".
double round_to_tenth(double value) { return std::round(value * 10.0) / 10.0; }

std::mt19937_64 make_rng(std::uint64_t seed, unsigned index) {
    // Each sensor has its own stream: adding sensors does not change existing ones.
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      static_cast<std::uint32_t>(index)};
    return std::mt19937_64(seq);
}

}  // namespace

signal_model::signal_model(sensor_kind kind, std::uint64_t seed, unsigned index,
                           double sample_period_s)
    : kind_(kind), dt_(sample_period_s), rng_(make_rng(seed, index)) {
    phase_ = uniform(0.0, k_two_pi);
    switch (kind_) {
    case sensor_kind::temperature: base_ = 21.0 + uniform(-1.5, 1.5); break;
    case sensor_kind::humidity: base_ = 50.0 + uniform(-8.0, 8.0); break;
    case sensor_kind::co2: level_ = 420.0 + uniform(0.0, 80.0); break;
    case sensor_kind::power: level_ = uniform(2.0, 6.0); break;  // standby
    case sensor_kind::door: open_ = false; break;
    }
}

reading_value signal_model::next() {
    reading_value value;
    switch (kind_) {
    case sensor_kind::temperature: value = next_temperature(); break;
    case sensor_kind::humidity: value = next_humidity(); break;
    case sensor_kind::co2: value = next_co2(); break;
    case sensor_kind::power: value = next_power(); break;
    case sensor_kind::door: value = next_door(); break;
    }
    t_ += dt_;
    return value;
}

double signal_model::next_temperature() {
    drift_step(300.0, 0.05);
    const double value = base_ + 2.0 * day_wave() + drift_ + gaussian(0.05);
    return round_to_tenth(value);
}

double signal_model::next_humidity() {
    drift_step(300.0, 0.2);
    // Relative humidity falls as the room warms: opposite sign of the daily wave.
    const double value = base_ - 8.0 * day_wave() + drift_ + gaussian(0.3);
    return round_to_tenth(std::clamp(value, 30.0, 70.0));
}

double signal_model::next_co2() {
    if (event(120.0)) {
        const bool arrive = occupants_ == 0 || (occupants_ < 4 && uniform(0.0, 1.0) < 0.5);
        occupants_ += arrive ? 1 : -1;
    }
    // Exponential approach to the level the current occupancy sustains.
    const double target = 420.0 + 260.0 * occupants_;
    level_ += (target - level_) * (1.0 - std::exp(-dt_ / 180.0));
    const double value = level_ + gaussian(3.0);
    return std::round(std::clamp(value, 400.0, 1500.0));
}

double signal_model::next_power() {
    // Appliance-like steps (standby, lights, fridge, microwave, kettle, heater); the
    // low ones are the most common, as in a real home.
    static constexpr std::array<double, 6> steps{4.0, 60.0, 150.0, 800.0, 1500.0, 2000.0};
    static constexpr std::array<double, 6> weights{35.0, 25.0, 20.0, 10.0, 6.0, 4.0};
    if (event(45.0)) {
        std::discrete_distribution<std::size_t> pick(weights.begin(), weights.end());
        level_ = steps[pick(rng_)];
    }
    const double value = level_ * (1.0 + gaussian(0.01)) + gaussian(0.5);
    return round_to_tenth(std::max(value, 0.0));
}

bool signal_model::next_door() {
    // Rarely opened (every ~5 min), closed again after ~15 s.
    if (event(open_ ? 15.0 : 300.0)) open_ = !open_;
    return open_;
}

double signal_model::gaussian(double stddev) {
    std::normal_distribution<double> dist(0.0, stddev);
    return dist(rng_);
}

double signal_model::uniform(double low, double high) {
    std::uniform_real_distribution<double> dist(low, high);
    return dist(rng_);
}

bool signal_model::event(double mean_interval_s) {
    return uniform(0.0, 1.0) < 1.0 - std::exp(-dt_ / mean_interval_s);
}

void signal_model::drift_step(double reversion_s, double volatility) {
    // Exact discretisation: stable for any sample period, same statistics at any rate.
    const double decay = std::exp(-dt_ / reversion_s);
    const double spread = volatility * std::sqrt(reversion_s / 2.0 * (1.0 - decay * decay));
    drift_ = drift_ * decay + gaussian(spread);
}

double signal_model::day_wave() const { return std::sin(k_two_pi * t_ / k_day_s + phase_); }

}  // namespace sim
