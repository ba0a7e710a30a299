#pragma once
// One thread of sb-bench-ws: its own io_context, its share of the clients (index % threads),
// connected at its share of --connect-rate, one read buffer they all share (a client keeps
// only an incomplete tail), and its own tally, merged once the thread has stopped.
#include <asio.hpp>

#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "bench_clock.hpp"
#include "reading_tally.hpp"
#include "ws_options.hpp"

namespace sb::bench {

class ws_client;

// Shared by the controller and every worker; set up before any thread starts.
struct ws_run_state {
    ws_run_state(const ws_options& o, ws_url u) : opts(o), url(std::move(u)) {}

    const ws_options& opts;
    ws_url url;
    asio::ip::tcp::endpoint target;
    std::vector<std::uint32_t> sources;  // IPv4 source addresses to cycle over; empty: any
    std::atomic<std::int64_t> ready_us{std::numeric_limits<std::int64_t>::max()};
    std::atomic<std::uint32_t> failures_logged{0};
};

// Live counters the controller polls (relaxed: progress and end conditions only).
struct alignas(64) ws_counters {
    std::atomic<std::uint64_t> started{0};
    std::atomic<std::uint64_t> connected{0};  // handshakes completed
    std::atomic<std::uint64_t> ready{0};
    std::atomic<std::uint64_t> failed{0};     // never became ready
    std::atomic<std::uint64_t> closed_by_server{0};
    std::atomic<std::int64_t> open{0};
    std::atomic<std::uint64_t> readings{0};
    std::atomic<std::int64_t> last_recv_us{0};
};

struct ws_error_counts {
    std::uint64_t error_frames = 0;     // bridge {"type":"error"} frames
    std::uint64_t parse = 0;            // a reading without a readable value
    std::uint64_t protocol = 0;         // malformed WebSocket or MQTT, refused subscriptions
};

class ws_worker {
public:
    ws_worker(ws_run_state& run, unsigned id);
    ~ws_worker();
    ws_worker(const ws_worker&) = delete;
    ws_worker& operator=(const ws_worker&) = delete;

    void start();
    void stop();  // stops the io_context and joins the thread

    const ws_counters& counters() const noexcept { return counters_; }
    // After stop():
    const reading_tally& tally() const noexcept { return tally_; }
    const ws_error_counts& errors() const noexcept { return errors_; }
    std::uint64_t sensor_subscriptions() const noexcept { return sensor_subscriptions_; }

    // For the clients (all on this worker's thread):
    asio::io_context& io() noexcept { return io_; }
    ws_run_state& run() noexcept { return run_; }
    const ws_options& opts() const noexcept { return run_.opts; }
    char* read_buffer() noexcept { return read_buffer_.get(); }
    static constexpr std::size_t read_buffer_size = 64 * 1024;
    std::string& scratch() noexcept { return scratch_; }      // a message being built
    std::string& frame_buffer() noexcept { return frame_; }   // the frame around it
    std::uint32_t next_mask() noexcept;
    ws_counters& live() noexcept { return counters_; }
    reading_tally& tally_mut() noexcept { return tally_; }
    ws_error_counts& errors_mut() noexcept { return errors_; }
    void add_sensor_subscriptions(std::uint64_t n) noexcept { sensor_subscriptions_ += n; }
    std::uint32_t seconds_since_start() const noexcept;
    void note_failure(std::uint32_t index, const std::string& why);

private:
    void pace_connects();
    void keepalive_tick();

    ws_run_state& run_;
    unsigned id_;
    asio::io_context io_{1};
    asio::executor_work_guard<asio::io_context::executor_type> work_{io_.get_executor()};
    asio::steady_timer connect_timer_{io_};
    asio::steady_timer keepalive_timer_{io_};
    std::vector<std::unique_ptr<ws_client>> clients_;  // after io_: destroyed before it
    std::uint64_t share_ = 0;                            // clients this worker opens
    steady::time_point started_at_{};
    std::unique_ptr<char[]> read_buffer_;
    std::string scratch_;
    std::string frame_;
    std::uint32_t rng_;
    reading_tally tally_;
    ws_error_counts errors_;
    std::uint64_t sensor_subscriptions_ = 0;
    ws_counters counters_;
    std::thread thread_;
};

}  // namespace sb::bench
