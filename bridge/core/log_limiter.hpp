#pragma once
// Keeps a repeated log line from flooding: at most `burst` lines per `interval`; the next
// line allowed after a quiet spell reports how many were suppressed. Single-threaded.
#include <chrono>
#include <cstdint>

namespace sb {

class log_limiter {
public:
    using clock = std::chrono::steady_clock;

    log_limiter(int burst, clock::duration interval) : burst_(burst), interval_(interval) {}

    // Whether to write this line now. When it returns true, suppressed() tells how many lines
    // were held back since the last one written.
    bool allow(clock::time_point now = clock::now());
    std::uint64_t suppressed() const noexcept { return reported_suppressed_; }

private:
    int burst_;
    clock::duration interval_;
    clock::time_point window_start_{};
    int in_window_ = 0;
    std::uint64_t suppressed_ = 0;
    std::uint64_t reported_suppressed_ = 0;
};

}  // namespace sb
