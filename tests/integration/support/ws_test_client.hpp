#pragma once
// A WebSocket test client (websocketpp on its own io thread) that collects the text frames it
// receives, so tests can wait for a frame with a deadline instead of sleeping.
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_no_tls_client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

namespace sb_it {

class ws_test_client {
public:
    using clock = std::chrono::steady_clock;
    using frame_predicate = std::function<bool(const std::string&)>;

    ws_test_client();
    ~ws_test_client();
    ws_test_client(const ws_test_client&) = delete;
    ws_test_client& operator=(const ws_test_client&) = delete;

    // Opens ws://127.0.0.1:port<path>; with a non-empty origin sends that Origin header.
    // True once open; false on a refused handshake (see handshake_status()) or timeout.
    bool connect(std::uint16_t port, const std::string& path = "/ws", const std::string& origin = "",
                 std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

    // For the next connect(): an extra request header, an offered subprotocol (in order).
    void set_request_header(const std::string& name, const std::string& value);
    void add_subprotocol(const std::string& protocol);
    std::string subprotocol() const;  // the one the server selected ("" when none)

    void send(const std::string& text);
    void close(std::uint16_t code = 1000);

    // The oldest frame not yet taken, waiting up to timeout for one (nullopt at once when the
    // connection is closed and nothing is left).
    std::optional<std::string> next_frame(std::chrono::milliseconds timeout);
    // Takes frames until one satisfies pred (the frames before it are dropped) and returns it.
    std::optional<std::string> wait_for(const frame_predicate& pred, std::chrono::milliseconds timeout);
    // Like wait_for, but the frames skipped on the way are appended to skipped.
    std::optional<std::string> wait_for(const frame_predicate& pred, std::chrono::milliseconds timeout,
                                        std::deque<std::string>& skipped);
    // Arrival time of the frame most recently returned by next_frame/wait_for.
    clock::time_point last_arrival() const;

    bool wait_closed(std::chrono::milliseconds timeout);
    bool is_open() const;
    int handshake_status() const;    // HTTP status of the opening handshake (101 when accepted)
    int close_code() const;          // close code sent by the server; 0 before close
    std::string close_reason() const;  // its reason
    std::size_t frames_received() const;

private:
    using client = websocketpp::client<websocketpp::config::asio_client>;
    enum class state { idle, connecting, open, failed, closed };

    void on_open(websocketpp::connection_hdl h);
    void on_fail(websocketpp::connection_hdl h);
    void on_close(websocketpp::connection_hdl h);
    void on_message(websocketpp::connection_hdl h, client::message_ptr msg);

    client client_;
    std::thread io_thread_;
    websocketpp::connection_hdl hdl_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::pair<std::string, clock::time_point>> frames_;
    clock::time_point last_arrival_{};
    std::size_t received_ = 0;
    state state_ = state::idle;
    int handshake_status_ = 0;
    int close_code_ = 0;
    std::string close_reason_;
    std::string subprotocol_;
    std::vector<std::pair<std::string, std::string>> request_headers_;
    std::vector<std::string> subprotocols_;
};

}  // namespace sb_it
