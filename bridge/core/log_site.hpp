#pragma once
// The flood guard of one SB_LOG call site: at most `burst` lines a second from that line of
// code, whatever thread logs; the next line written says how many were held back
// (`suppressed=N`). A log_limiter behind a mutex, taken only when the level is enabled.
#include <chrono>
#include <cstdint>
#include <mutex>

#include "core/log_limiter.hpp"

namespace sb {

class log_site {
public:
    static constexpr int burst = 10;

    // Whether the call site may write now; when true, suppressed is the number of lines held
    // back since its previous line.
    bool admit(std::uint64_t& suppressed, log_limiter::clock::time_point now = log_limiter::clock::now());

private:
    std::mutex mu_;
    log_limiter limiter_{burst, std::chrono::seconds(1)};
};

}  // namespace sb
