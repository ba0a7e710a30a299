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
// The given steady moment on that scale (a receipt time already read: no second clock call).
inline std::int64_t monotonic_epoch_ms(std::chrono::steady_clock::time_point t) noexcept {
    using namespace std::chrono;
    static const std::int64_t wall_at_start = now_ms();
    static const steady_clock::time_point steady_at_start = steady_clock::now();
    return wall_at_start + duration_cast<milliseconds>(t - steady_at_start).count();
}

inline std::int64_t monotonic_epoch_ms() noexcept { return monotonic_epoch_ms(std::chrono::steady_clock::now()); }

}  // namespace sb
