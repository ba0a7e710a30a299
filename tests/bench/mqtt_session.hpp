#pragma once
// Opening an MQTT 3.1.1 session over plain TCP: connect, CONNECT, CONNACK, all bounded in time.
#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace sb::bench {

// The io_context executor instead of any_io_executor: a smaller socket, a direct dispatch.
using tcp_socket = asio::basic_stream_socket<asio::ip::tcp, asio::io_context::executor_type>;

struct mqtt_endpoint {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string client_id;
    std::uint16_t keepalive_s = 60;
};

// Connects sock to the broker and completes CONNECT/CONNACK within timeout, running io
// (which must have no other work yet). Empty on success, else the reason.
std::string open_mqtt_session(asio::io_context& io, tcp_socket& sock, const mqtt_endpoint& at,
                              std::chrono::milliseconds timeout);

}  // namespace sb::bench
