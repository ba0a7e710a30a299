#pragma once
// Which of the --mqtt-url brokers to try next, for both MQTT clients (docs/CONFIGURATION.md):
// in the order given; after a failed attempt the next one at once; after the whole list failed,
// the back-off, then the first again. A lost connection starts from the first too (after the
// back-off), so the bridge returns to the first broker that answers, in order.
#include <atomic>
#include <cstddef>
#include <string>
#include <vector>

#include "ingest/broker_url.hpp"

namespace sb {

class broker_rotation {
public:
    explicit broker_rotation(std::vector<std::string> urls) : urls_(std::move(urls)) {
        if (urls_.empty()) urls_.emplace_back("tcp://127.0.0.1:1883");
        for (const auto& u : urls_) shown_.push_back(url_without_userinfo(u));
    }

    std::size_t size() const noexcept { return urls_.size(); }
    std::size_t current() const noexcept { return current_.load(std::memory_order_relaxed); }
    const std::string& url() const noexcept { return urls_[current()]; }
    // The URL to show or log: without user name and password. Safe from any thread.
    const std::string& shown() const noexcept { return shown_[current()]; }
    const std::vector<std::string>& urls() const noexcept { return urls_; }

    // After a failed attempt: true when another broker of this round comes next (try it at
    // once); false when the round is over (back off; the next round starts with the first).
    bool next_after_failure() noexcept {
        const std::size_t c = current();
        if (c + 1 < urls_.size()) {
            current_.store(c + 1, std::memory_order_relaxed);
            return true;
        }
        current_.store(0, std::memory_order_relaxed);
        return false;
    }
    // After a lost connection: the next attempt (after the back-off) starts with the first.
    void restart() noexcept { current_.store(0, std::memory_order_relaxed); }

private:
    std::vector<std::string> urls_;
    std::vector<std::string> shown_;
    std::atomic<std::size_t> current_{0};
};

}  // namespace sb
