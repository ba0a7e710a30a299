#pragma once
// `sb-bench-mqtt pub`: publishes bench readings round-robin over the sensors, as fast as the
// socket takes them or paced in 1 ms ticks, many PUBLISH packets per socket write; QoS 1
// keeps a bounded window of unacknowledged packets. Ends with DISCONNECT once all is flushed.
#include <asio.hpp>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "bench_clock.hpp"
#include "mqtt_codec.hpp"
#include "mqtt_session.hpp"

namespace sb::bench {

struct pub_options {
    mqtt_endpoint broker;
    std::uint32_t sensors = 1000;
    std::uint64_t count = 0;        // 0: no count limit
    double rate = 0;                // messages a second; 0: as fast as the socket takes them
    std::int64_t duration_ms = 0;   // 0: no time limit
    std::string topic_prefix = "sensors/";
    std::string id_prefix = "b";
    int qos = 0;
    std::uint32_t inflight = 1000;  // QoS 1 window
    std::size_t batch_bytes = 64 * 1024;
};

class mqtt_pub {
public:
    explicit mqtt_pub(pub_options o);
    int run();  // the exit code; prints the summary

private:
    void start();
    void tick();
    void pump();
    std::uint64_t allowed_now();
    void fill(std::uint64_t n);
    void read();
    void on_packet(const mqtt::packet& p);
    void finish();
    void close_when_flushed();
    void fail(const std::string& why);
    std::string summary() const;

    pub_options o_;
    asio::io_context io_{1};
    tcp_socket sock_{io_};
    asio::signal_set signals_{io_, SIGINT, SIGTERM};
    asio::steady_timer ticker_{io_};
    std::vector<std::string> topics_;
    std::vector<std::string> ids_;
    std::vector<char> out_;
    std::vector<char> payload_;  // one payload, before it is framed
    std::size_t out_used_ = 0;
    std::array<char, 4096> in_{};
    mqtt::packet_stream packets_{1 << 16};

    steady::time_point started_{};
    steady::time_point finish_started_{};
    steady::time_point last_write_{};
    std::uint64_t sent_ = 0;
    std::uint64_t paced_base_ = 0;  // messages owed before paced_since_ (after a catch-up cut)
    steady::time_point paced_since_{};
    std::uint64_t behind_cuts_ = 0;
    std::uint32_t next_sensor_ = 0;
    std::uint16_t next_packet_id_ = 0;
    std::uint32_t inflight_ = 0;
    std::int64_t first_us_ = 0;
    std::int64_t last_us_ = 0;
    bool writing_ = false;
    bool finishing_ = false;
    bool disconnect_sent_ = false;
    bool done_ = false;
    std::string error_;
};

}  // namespace sb::bench
