#include "http/token_bucket.hpp"

#include <algorithm>

namespace sb {

bool token_bucket::take(clock::time_point now) noexcept {
    if (rate_ <= 0) return true;
    if (now > last_) {
        const double elapsed = std::chrono::duration<double>(now - last_).count();
        tokens_ = std::min(burst_, tokens_ + elapsed * rate_);
        last_ = now;
    }
    if (tokens_ < 1) return false;
    tokens_ -= 1;
    return true;
}

}  // namespace sb
