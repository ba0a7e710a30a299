// SIGINT/SIGTERM turned into a stop request the publisher loop can wait on.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace sim {

// Blocks SIGINT and SIGTERM in the calling thread (and so in every thread started after
// it, Paho's included) and receives them with sigwait() on a dedicated thread. Construct
// it first in main(), before any other thread exists.
class stop_signal {
public:
    stop_signal();
    ~stop_signal();
    stop_signal(const stop_signal&) = delete;
    stop_signal& operator=(const stop_signal&) = delete;

    bool stop_requested() const;
    // Sleeps until `deadline` or a stop request; returns true if stop was requested.
    bool wait_until(std::chrono::steady_clock::time_point deadline) const;

private:
    void request_stop();
    void watch();

    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    bool stop_ = false;
    bool closing_ = false;
    std::thread watcher_;
};

}  // namespace sim
