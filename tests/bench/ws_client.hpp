#pragma once
// One WebSocket connection of sb-bench-ws, kept small (a socket, two stream tails, a pending
// output string, a few flags): it waits for readability instead of holding a read buffer,
// reads into its worker's shared buffer, writes small frames straight to the socket, and only
// buffers what the kernel did not take.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mqtt_codec.hpp"
#include "mqtt_session.hpp"
#include "ws_codec.hpp"

namespace sb::bench {

class ws_worker;

class ws_client {
public:
    ws_client(ws_worker& w, std::uint32_t index);
    ws_client(const ws_client&) = delete;
    ws_client& operator=(const ws_client&) = delete;

    void start();
    // mqtt: a PINGREQ when the last one is half a keepalive old.
    void keepalive(std::uint32_t now_s);

private:
    enum class state : std::uint8_t { connecting, handshaking, open, ready, closed };

    void on_connected(const asio::error_code& ec);
    void arm_read();
    void on_readable(const asio::error_code& ec);
    bool consume(const char* data, std::size_t n, std::int64_t now_us);
    bool consume_handshake(const char*& data, std::size_t& n);
    void on_open();
    bool on_frame(const ws::frame& f, std::int64_t now_us);
    void on_text(std::string_view msg, std::int64_t now_us);
    void on_bridge(std::string_view msg, std::int64_t now_us);
    void on_mqtt(const mqtt::packet& p, std::int64_t now_us);
    void count_reading(std::string_view json, std::int64_t now_us);
    void subscribe_bridge();
    void subscribe_mqtt();
    void ack_one();
    void become_ready();
    void send_frame(ws::opcode op, std::string_view payload);
    void send_raw(std::string_view bytes);
    void arm_write();
    void fail(const std::string& why);
    void peer_closed();
    void close_socket();

    ws_worker& w_;
    tcp_socket sock_;
    ws::frame_stream frames_;
    mqtt::packet_stream packets_;
    std::vector<char> text_;  // a fragmented message, or the handshake response so far
    std::string out_;         // what the kernel has not taken yet
    std::uint32_t index_;
    std::uint32_t last_ping_s_ = 0;
    std::uint16_t pending_acks_ = 0;
    state state_ = state::connecting;
    bool settled_ = false;  // counted as ready or failed
    bool write_armed_ = false;
};

}  // namespace sb::bench
