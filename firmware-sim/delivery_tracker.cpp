#include "delivery_tracker.hpp"

namespace sim {

void delivery_tracker::started() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++started_;
}

void delivery_tracker::rejected() { settle(false); }

std::uint64_t delivery_tracker::outstanding() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return started_ - succeeded_ - failed_;
}

std::uint64_t delivery_tracker::succeeded() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return succeeded_;
}

std::uint64_t delivery_tracker::failed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return failed_;
}

bool delivery_tracker::wait_below(std::uint64_t limit, std::chrono::milliseconds timeout) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, timeout,
                        [this, limit] { return started_ - succeeded_ - failed_ < limit; });
}

bool delivery_tracker::wait_settled(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_until(lock, deadline,
                          [this] { return started_ == succeeded_ + failed_; });
}

void delivery_tracker::on_success(const mqtt::token& /*token*/) { settle(true); }

void delivery_tracker::on_failure(const mqtt::token& /*token*/) { settle(false); }

void delivery_tracker::settle(bool ok) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++(ok ? succeeded_ : failed_);
    }
    cv_.notify_all();
}

}  // namespace sim
