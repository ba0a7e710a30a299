#pragma once
#include <chrono>
#include <cstdint>

namespace sb {

// Wall-clock milliseconds since the epoch: the unit of every timestamp on the wire.
inline std::int64_t now_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

// Milliseconds since the epoch that never jump: the wall clock read once, advanced by the
// steady clock. For measuring silences (staleness) that a wall-clock step must not fake.
inline std::int64_t monotonic_epoch_ms() noexcept {
    using namespace std::chrono;
    static const std::int64_t wall_at_start = now_ms();
    static const steady_clock::time_point steady_at_start = steady_clock::now();
    return wall_at_start + duration_cast<milliseconds>(steady_clock::now() - steady_at_start).count();
}

}  // namespace sb
