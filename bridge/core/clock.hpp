#pragma once
#include <chrono>
#include <cstdint>

namespace sb {

// Wall-clock milliseconds since the epoch: the unit of every timestamp on the wire.
inline std::int64_t now_ms() noexcept {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace sb
