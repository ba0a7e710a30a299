#include "core/log_limiter.hpp"

namespace sb {

bool log_limiter::allow(clock::time_point now) {
    if (now - window_start_ >= interval_) {
        window_start_ = now;
        in_window_ = 0;
    }
    if (in_window_ >= burst_) {
        ++suppressed_;
        return false;
    }
    ++in_window_;
    reported_suppressed_ = suppressed_;
    suppressed_ = 0;
    return true;
}

}  // namespace sb
