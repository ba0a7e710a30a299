// Command-line options of sensor-sim (docs/CONFIGURATION.md).
#pragma once

#include "payload_format.hpp"

#include <cstddef>
#include <cstdint>
#include <string>

namespace CLI {
class App;
}

namespace sim {

inline constexpr const char* k_version = "0.1.0";

struct sim_options {
    std::string mqtt_url = "tcp://127.0.0.1:1883";
    unsigned sensors = 24;
    double rate_hz = 1.0;            // readings per second per sensor
    format_kind format = format_kind::canonical;
    unsigned per_device = 4;         // sensors grouped into one device (senml, multi, mixed)
    double fault_rate = 0.0;         // fraction of data messages replaced by bad payloads
    std::uint64_t count = 0;         // data messages (faults included); 0 = until signalled
    int qos = 1;
    std::uint64_t seed = 7;
    std::string topic_prefix = "sensors";
    std::string client_id;           // empty: "sensor-sim-<pid>"
    double duration_s = 0.0;         // 0 = no time limit
    bool quiet = false;
    std::size_t max_inflight = 1000; // unconfirmed publishes before the loop waits
    double drain_timeout_s = 10.0;   // bounded wait for outstanding deliveries at exit
};

// Declares every option on `app`, bound to `options`, with range and syntax checks.
void register_options(CLI::App& app, sim_options& options);

// Fills values that depend on the environment (default client id) after parsing.
void finalize_options(sim_options& options);

}  // namespace sim
