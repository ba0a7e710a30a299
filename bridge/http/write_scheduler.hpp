#pragma once
// When the WebSocket sessions write: the messages a handler coalesced are written once it
// returns (one post per loop turn, however many sessions and messages), and one timer serves
// the delayed deliveries, the conflated sessions waiting for their peer to drain and the
// readings the hub holds back for maxRateHz, firing at the earliest one asked for.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <memory>
#include <vector>

#include "hub/hub.hpp"

namespace sb {

// A session as the scheduler sees it (ws_session).
class scheduled_writer {
public:
    virtual ~scheduled_writer() = default;
    virtual void write_batch() = 0;  // hand what was coalesced this turn to the socket
    virtual bool flush() = 0;        // queue conflated messages; true while it wants another tick
};

class write_scheduler {
public:
    using clock = std::chrono::steady_clock;
    // How often conflated sessions are looked at while they wait for their peer to drain.
    static constexpr std::chrono::milliseconds flush_tick{10};

    // Registers itself as the hub's wake-up for held readings (until destroyed).
    write_scheduler(asio::io_context& io, hub& h);
    ~write_scheduler();
    write_scheduler(const write_scheduler&) = delete;
    write_scheduler& operator=(const write_scheduler&) = delete;

    // The session coalesced messages in the current handler: write_batch() once it returns.
    void write_after_turn(std::shared_ptr<scheduled_writer> w);
    // The session conflates: flush() on the next tick (and on every tick while it says so).
    void flush_soon(std::weak_ptr<scheduled_writer> w);
    // No timer is armed after this. Idempotent.
    void stop();

private:
    void schedule(clock::time_point at);
    void on_tick();

    asio::io_context& io_;
    hub& hub_;
    asio::steady_timer timer_;
    bool armed_ = false;
    bool stopped_ = false;
    std::vector<std::weak_ptr<scheduled_writer>> flush_queue_;  // sessions that asked for a flush
    std::vector<std::shared_ptr<scheduled_writer>> write_queue_;  // sessions with messages coalesced this turn
    bool write_posted_ = false;
};

}  // namespace sb
