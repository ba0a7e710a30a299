#include "stop_signal.hpp"

#include <pthread.h>
#include <signal.h>

namespace sim {
namespace {

sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

stop_signal::stop_signal() {
    const sigset_t set = stop_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    watcher_ = std::thread([this] { watch(); });
}

stop_signal::~stop_signal() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
    }
    // Wake the watcher out of sigwait(); it sees closing_ and returns.
    pthread_kill(watcher_.native_handle(), SIGTERM);
    watcher_.join();
}

bool stop_signal::stop_requested() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return stop_;
}

bool stop_signal::wait_until(std::chrono::steady_clock::time_point deadline) const {
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_until(lock, deadline, [this] { return stop_; });
    return stop_;
}

void stop_signal::request_stop() {
    {
        std::lock_guard<std::mutex> lock(mutex_);
        stop_ = true;
    }
    cv_.notify_all();
}

void stop_signal::watch() {
    const sigset_t set = stop_set();
    for (;;) {
        int received = 0;
        if (sigwait(&set, &received) != 0) continue;
        {
            std::lock_guard<std::mutex> lock(mutex_);
            if (closing_) return;
        }
        request_stop();
    }
}

}  // namespace sim
