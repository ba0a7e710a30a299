#pragma once
// Waiting on a condition with a deadline: the only way the integration tests synchronise.
#include <chrono>
#include <thread>

namespace sb_it {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;
using steady = std::chrono::steady_clock;

// Polls pred until it is true or timeout has passed; returns the last result.
template <class Pred>
bool wait_until(Pred&& pred, ms timeout, ms poll_every = 10ms) {
    const auto deadline = steady::now() + timeout;
    while (true) {
        if (pred()) return true;
        if (steady::now() >= deadline) return false;
        std::this_thread::sleep_for(poll_every);
    }
}

}  // namespace sb_it
