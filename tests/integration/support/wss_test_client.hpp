#pragma once
// A WebSocket-over-TLS test client (websocketpp asio_tls_client on its own io thread): it
// verifies the server's certificate against a CA file and the host name, like a browser, and
// collects the text frames it receives so tests wait for a frame instead of sleeping.
#include <websocketpp/client.hpp>
#include <websocketpp/config/asio_client.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace sb_it {

class wss_test_client {
public:
    wss_test_client(std::filesystem::path ca, std::string host = "127.0.0.1");
    ~wss_test_client();
    wss_test_client(const wss_test_client&) = delete;
    wss_test_client& operator=(const wss_test_client&) = delete;

    // Opens wss://<host>:port/ws; true once open, false when TLS or the handshake failed (error()).
    bool connect(std::uint16_t port, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    void send(const std::string& text);
    // Takes frames until one satisfies pred (earlier ones are dropped) and returns it.
    std::optional<std::string> wait_for(const std::function<bool(const std::string&)>& pred,
                                        std::chrono::milliseconds timeout);
    std::string error() const;

private:
    using client = websocketpp::client<websocketpp::config::asio_tls_client>;
    enum class state { idle, connecting, open, failed, closed };

    void set_state(state s, std::string error = {});

    std::filesystem::path ca_;
    std::string host_;
    client client_;
    std::thread io_thread_;
    websocketpp::connection_hdl hdl_;
    mutable std::mutex mutex_;
    std::condition_variable cv_;
    std::deque<std::string> frames_;
    state state_ = state::idle;
    std::string error_;
};

}  // namespace sb_it
