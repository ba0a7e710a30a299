#pragma once
// Clocks of the load tools: wall-clock microseconds (what a reading carries and latency is
// measured against, CLOCK_REALTIME on both ends) and a steady clock for pacing and timeouts.
#include <time.h>

#include <chrono>
#include <cstdint>

namespace sb::bench {

inline std::int64_t wall_us() noexcept {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000 + ts.tv_nsec / 1000;
}

using steady = std::chrono::steady_clock;

inline std::int64_t elapsed_ms(steady::time_point since) noexcept {
    return std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - since).count();
}

}  // namespace sb::bench
