#pragma once
// Turns silent sensors stale: a periodic scan of the status tracker on the network thread,
// each change pushed as sensor.status to the sensor's rooms. One pass over the sensors per
// period (a comparison each), so the work per tick is bounded by --max-sensors.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <vector>

#include "state/status_tracker.hpp"

namespace sb {

class staleness_monitor {
public:
    using publish_fn = std::function<void(const status_change&)>;

    // publish: pushes one change to the sensor's rooms (ingest_pipeline::publish_status).
    staleness_monitor(asio::io_context& io, status_tracker& tracker, publish_fn publish);

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
    publish_fn publish_;
    std::chrono::milliseconds period_;
    std::vector<status_change> changes_;
    bool stopped_ = false;
};

}  // namespace sb
