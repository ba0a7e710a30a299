#pragma once
// `sb-bench-mqtt sub`: one plain MQTT subscriber (QoS 0) counting bench readings and their
// latency: the baseline of what the broker alone delivers to one client.
#include <asio.hpp>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "bench_clock.hpp"
#include "mqtt_codec.hpp"
#include "mqtt_session.hpp"
#include "reading_tally.hpp"

namespace sb::bench {

struct sub_options {
    mqtt_endpoint broker;
    std::string topic = "sensors/#";
    std::uint64_t expect = 0;  // 0: until idle or timeout
    std::int64_t idle_timeout_ms = 3000;
    std::int64_t timeout_ms = 120000;
};

class mqtt_sub {
public:
    explicit mqtt_sub(sub_options o);
    int run();  // the exit code; prints `ready` and the summary

private:
    void read();
    void on_packet(const mqtt::packet& p, std::int64_t now_us);
    void on_publish(const mqtt::packet& p, std::int64_t now_us);
    void send(std::string_view bytes);
    void flush();
    void tick();
    void stop(const std::string& why);
    void fail(const std::string& why);
    std::string summary() const;

    sub_options o_;
    asio::io_context io_{1};
    tcp_socket sock_{io_};
    asio::signal_set signals_{io_, SIGINT, SIGTERM};
    asio::steady_timer ticker_{io_};
    std::vector<char> in_;
    mqtt::packet_stream packets_{1 << 20};
    std::string out_;      // waiting to be written
    std::string sending_;  // being written
    bool writing_ = false;

    reading_tally tally_;
    std::int64_t ready_us_ = std::numeric_limits<std::int64_t>::max();
    bool ready_ = false;
    steady::time_point started_{};
    steady::time_point last_reading_{};
    steady::time_point last_write_{};
    bool done_ = false;
    std::string error_;
};

}  // namespace sb::bench
