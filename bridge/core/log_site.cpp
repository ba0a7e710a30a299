#include "core/log_site.hpp"

namespace sb {

bool log_site::admit(std::uint64_t& suppressed, log_limiter::clock::time_point now) {
    std::lock_guard<std::mutex> lock(mu_);
    if (!limiter_.allow(now)) return false;
    suppressed = limiter_.suppressed();
    return true;
}

}  // namespace sb
