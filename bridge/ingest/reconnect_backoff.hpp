#pragma once
// The wait before the next broker connect attempt, for both MQTT clients: doubling from the
// minimum up to the maximum, each wait drawn from the upper half of its step (jitter keeps many
// bridges from reconnecting in lockstep). reset() after a connect that worked.
#include <chrono>
#include <cstdint>
#include <random>

namespace sb {

class reconnect_backoff {
public:
    reconnect_backoff(std::chrono::milliseconds min, std::chrono::milliseconds max,
                      std::uint32_t seed = std::random_device{}());

    std::chrono::milliseconds next();
    void reset() noexcept { step_ = std::chrono::milliseconds(0); }

private:
    std::chrono::milliseconds min_;
    std::chrono::milliseconds max_;
    std::chrono::milliseconds step_{0};
    std::mt19937 rng_;
};

}  // namespace sb
