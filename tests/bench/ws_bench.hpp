#pragma once
// sb-bench-ws's controller: starts the workers, watches their counters every 10 ms, prints
// `ready` once every client is ready (or has failed), decides when the run ends (expected
// readings, idle, timeout, hold, signal) and prints the one-line summary.
#include <asio.hpp>

#include <memory>
#include <string>
#include <vector>

#include "bench_clock.hpp"
#include "ws_worker.hpp"

namespace sb::bench {

class ws_bench {
public:
    explicit ws_bench(const ws_options& o);
    ~ws_bench();
    int run();  // the exit code

private:
    struct totals {
        std::uint64_t started = 0, connected = 0, ready = 0, failed = 0, closed_by_server = 0, readings = 0;
        std::int64_t open = 0, last_recv_us = 0;
    };

    std::string resolve();
    void tick();
    void check_connecting(const totals& t);
    void check_measuring(const totals& t);
    void progress(const totals& t);
    void stop(const std::string& why);
    void fail(const std::string& why);
    totals sum() const;
    std::string summary() const;

    const ws_options& o_;
    ws_run_state run_;
    std::vector<std::unique_ptr<ws_worker>> workers_;
    asio::io_context io_{1};
    asio::signal_set signals_{io_, SIGINT, SIGTERM};
    asio::steady_timer ticker_{io_};
    steady::time_point started_{};
    steady::time_point ready_at_{};
    steady::time_point last_progress_{};
    bool ready_ = false;
    bool done_ = false;
    std::string stop_reason_;
    std::string error_;
};

}  // namespace sb::bench
