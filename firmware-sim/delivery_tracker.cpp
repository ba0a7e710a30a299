#include "delivery_tracker.hpp"

#include <mqtt/token.h>

#include <cstdint>

namespace sim {
namespace {

std::uint64_t readings_of(const mqtt::token& token) {
    return static_cast<std::uint64_t>(reinterpret_cast<std::uintptr_t>(token.get_user_context()));
}

}  // namespace

void delivery_tracker::started(std::uint64_t readings) {
    std::lock_guard<std::mutex> lock(mutex_);
    ++started_;
    readings_started_ += readings;
}

void delivery_tracker::rejected(std::uint64_t readings) { settle(false, readings); }

void* delivery_tracker::user_context(std::uint64_t readings) {
    return reinterpret_cast<void*>(static_cast<std::uintptr_t>(readings));
}

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

std::uint64_t delivery_tracker::readings_started() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return readings_started_;
}

std::uint64_t delivery_tracker::readings_unconfirmed() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return readings_started_ - readings_succeeded_;
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

void delivery_tracker::on_success(const mqtt::token& token) { settle(true, readings_of(token)); }

void delivery_tracker::on_failure(const mqtt::token& token) { settle(false, readings_of(token)); }

void delivery_tracker::settle(bool ok, std::uint64_t readings) {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        ++(ok ? succeeded_ : failed_);
        if (ok) readings_succeeded_ += readings;
    }
    cv_.notify_all();
}

}  // namespace sim
