// Counts publishes until Paho confirms or fails them; bounds how many are outstanding.
#pragma once

#include <mqtt/iaction_listener.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace sim {

// Passed as the action listener of every publish. Its callbacks run on Paho's thread
// while the library holds its lock, so they only bump counters and notify.
// Each message also carries a weight, the number of readings in it (0 for a fault or a
// status), so failures can be reported in readings as well as in messages.
class delivery_tracker final : public mqtt::iaction_listener {
public:
    // Call before handing a message with `readings` readings to Paho, and pass
    // user_context(readings) as the publish's user context.
    void started(std::uint64_t readings);
    // Call when publish() threw: Paho will never report on that message.
    void rejected(std::uint64_t readings);

    // The weight travels in the token's user context as an integer, not a pointer: no
    // allocation, nothing to free when Paho drops a token.
    static void* user_context(std::uint64_t readings);

    std::uint64_t outstanding() const;
    std::uint64_t succeeded() const;
    std::uint64_t failed() const;
    std::uint64_t readings_started() const;
    // Readings in messages that failed or are still outstanding.
    std::uint64_t readings_unconfirmed() const;

    // Waits up to `timeout` for fewer than `limit` outstanding; true when there are.
    bool wait_below(std::uint64_t limit, std::chrono::milliseconds timeout) const;
    // Waits until nothing is outstanding or `deadline`; true when all are settled.
    bool wait_settled(std::chrono::steady_clock::time_point deadline) const;

private:
    void on_success(const mqtt::token& token) override;
    void on_failure(const mqtt::token& token) override;
    void settle(bool ok, std::uint64_t readings);

    mutable std::mutex mutex_;
    mutable std::condition_variable cv_;
    std::uint64_t started_ = 0;
    std::uint64_t succeeded_ = 0;
    std::uint64_t failed_ = 0;
    std::uint64_t readings_started_ = 0;
    std::uint64_t readings_succeeded_ = 0;
};

}  // namespace sim
