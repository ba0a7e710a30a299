#pragma once
// A token bucket: `burst` messages at once, refilled at `rate` a second. Time is passed in.
#include <chrono>

namespace sb {

class token_bucket {
public:
    using clock = std::chrono::steady_clock;

    // rate <= 0: unlimited.
    token_bucket(double rate_per_second, double burst, clock::time_point now) noexcept
        : rate_(rate_per_second), burst_(burst < 1 ? 1 : burst), tokens_(burst_), last_(now) {}

    // Takes one token; false when the bucket is empty.
    bool take(clock::time_point now) noexcept;

private:
    double rate_;
    double burst_;
    double tokens_;
    clock::time_point last_;
};

}  // namespace sb
