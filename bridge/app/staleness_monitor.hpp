#pragma once
// Turns silent sensors stale: a periodic scan of the status tracker on the network thread,
// each change pushed as sensor.status to the sensor's rooms. One pass over the sensors per
// period (a comparison each), so the work per tick is bounded by --max-sensors.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <vector>

#include "store/status_tracker.hpp"

namespace sb {

class hub;

class staleness_monitor {
public:
    staleness_monitor(asio::io_context& io, status_tracker& tracker, hub& h);

    void start();  // first scan one period from now
    void stop();   // no scan after this

    // A quarter of --stale-min-ms, between 100 ms and 1 s: how much later than its threshold
    // a stale status may be noticed.
    static std::chrono::milliseconds period_for(std::int64_t stale_min_ms) noexcept;

private:
    void schedule();
    void scan();

    asio::steady_timer timer_;
    status_tracker& tracker_;
    hub& hub_;
    std::chrono::milliseconds period_;
    std::vector<status_change> changes_;
    bool stopped_ = false;
};

}  // namespace sb
