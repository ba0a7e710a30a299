#include "ingest/reconnect_backoff.hpp"

#include <algorithm>

namespace sb {

reconnect_backoff::reconnect_backoff(std::chrono::milliseconds min, std::chrono::milliseconds max, std::uint32_t seed)
    : min_(min), max_(max), rng_(seed) {}

std::chrono::milliseconds reconnect_backoff::next() {
    step_ = step_.count() == 0 ? min_ : std::min(step_ * 2, max_);
    std::uniform_int_distribution<long> jitter(static_cast<long>(step_.count() / 2), static_cast<long>(step_.count()));
    return std::chrono::milliseconds(jitter(rng_));
}

}  // namespace sb
