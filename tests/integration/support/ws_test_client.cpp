#include "support/ws_test_client.hpp"

#include <stdexcept>

namespace sb_it {

ws_test_client::ws_test_client() {
    client_.clear_access_channels(websocketpp::log::alevel::all);
    client_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    client_.init_asio(ec);
    if (ec) throw std::runtime_error("websocketpp init_asio: " + ec.message());
    client_.set_open_handler([this](websocketpp::connection_hdl h) { on_open(h); });
    client_.set_fail_handler([this](websocketpp::connection_hdl h) { on_fail(h); });
    client_.set_close_handler([this](websocketpp::connection_hdl h) { on_close(h); });
    client_.set_message_handler(
        [this](websocketpp::connection_hdl h, client::message_ptr m) { on_message(h, std::move(m)); });
    client_.start_perpetual();
    io_thread_ = std::thread([this] { client_.run(); });
}

ws_test_client::~ws_test_client() {
    if (is_open()) {
        close();
        wait_closed(std::chrono::milliseconds(500));
    }
    client_.stop_perpetual();
    client_.stop();
    io_thread_.join();
}

bool ws_test_client::connect(std::uint16_t port, const std::string& path, const std::string& origin,
                             std::chrono::milliseconds timeout) {
    websocketpp::lib::error_code ec;
    auto con = client_.get_connection("ws://127.0.0.1:" + std::to_string(port) + path, ec);
    if (ec) return false;
    if (!origin.empty()) con->replace_header("Origin", origin);
    for (const auto& [name, value] : request_headers_) con->replace_header(name, value);
    for (const auto& p : subprotocols_) {
        con->add_subprotocol(p, ec);
        if (ec) return false;
    }
    {
        std::lock_guard<std::mutex> lock(mutex_);
        state_ = state::connecting;
        hdl_ = con->get_handle();
    }
    client_.connect(con);
    std::unique_lock<std::mutex> lock(mutex_);
    cv_.wait_for(lock, timeout, [this] { return state_ != state::connecting; });
    return state_ == state::open;
}

void ws_test_client::set_request_header(const std::string& name, const std::string& value) {
    request_headers_.emplace_back(name, value);
}

void ws_test_client::add_subprotocol(const std::string& protocol) { subprotocols_.push_back(protocol); }

std::string ws_test_client::subprotocol() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return subprotocol_;
}

std::string ws_test_client::close_reason() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return close_reason_;
}

void ws_test_client::send(const std::string& text) {
    websocketpp::lib::error_code ec;
    client_.send(hdl_, text, websocketpp::frame::opcode::text, ec);
    if (ec) throw std::runtime_error("ws send: " + ec.message());
}

void ws_test_client::close(std::uint16_t code) {
    websocketpp::lib::error_code ec;
    client_.close(hdl_, code, "test done", ec);
}

std::optional<std::string> ws_test_client::next_frame(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    // A closed connection delivers nothing more: give up early instead of at the timeout.
    cv_.wait_for(lock, timeout, [this] {
        return !frames_.empty() || state_ == state::closed || state_ == state::failed;
    });
    if (frames_.empty()) return std::nullopt;
    auto [text, at] = std::move(frames_.front());
    frames_.pop_front();
    last_arrival_ = at;
    return std::move(text);
}

std::optional<std::string> ws_test_client::wait_for(const frame_predicate& pred, std::chrono::milliseconds timeout) {
    std::deque<std::string> ignored;
    return wait_for(pred, timeout, ignored);
}

std::optional<std::string> ws_test_client::wait_for(const frame_predicate& pred, std::chrono::milliseconds timeout,
                                                    std::deque<std::string>& skipped) {
    const auto deadline = clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        auto frame = next_frame(left.count() > 0 ? left : std::chrono::milliseconds(0));
        if (!frame) return std::nullopt;
        if (pred(*frame)) return frame;
        skipped.push_back(std::move(*frame));
    }
}

ws_test_client::clock::time_point ws_test_client::last_arrival() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return last_arrival_;
}

bool ws_test_client::wait_closed(std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    return cv_.wait_for(lock, timeout, [this] { return state_ == state::closed || state_ == state::failed; });
}

bool ws_test_client::is_open() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return state_ == state::open;
}

int ws_test_client::handshake_status() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return handshake_status_;
}

int ws_test_client::close_code() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return close_code_;
}

std::size_t ws_test_client::frames_received() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return received_;
}

void ws_test_client::on_open(websocketpp::connection_hdl h) {
    websocketpp::lib::error_code ec;
    auto con = client_.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(mutex_);
    handshake_status_ = ec ? 0 : static_cast<int>(con->get_response_code());
    // websocketpp's client does not record the server's choice: read the answer's header.
    subprotocol_ = ec ? std::string() : con->get_response_header("Sec-WebSocket-Protocol");
    state_ = state::open;
    cv_.notify_all();
}

void ws_test_client::on_fail(websocketpp::connection_hdl h) {
    websocketpp::lib::error_code ec;
    auto con = client_.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(mutex_);
    handshake_status_ = ec ? 0 : static_cast<int>(con->get_response_code());
    state_ = state::failed;
    cv_.notify_all();
}

void ws_test_client::on_close(websocketpp::connection_hdl h) {
    websocketpp::lib::error_code ec;
    auto con = client_.get_con_from_hdl(h, ec);
    std::lock_guard<std::mutex> lock(mutex_);
    close_code_ = ec ? 0 : static_cast<int>(con->get_remote_close_code());
    close_reason_ = ec ? std::string() : con->get_remote_close_reason();
    state_ = state::closed;
    cv_.notify_all();
}

void ws_test_client::on_message(websocketpp::connection_hdl, client::message_ptr msg) {
    if (msg->get_opcode() != websocketpp::frame::opcode::text) return;
    const auto now = clock::now();
    std::lock_guard<std::mutex> lock(mutex_);
    frames_.emplace_back(msg->get_payload(), now);
    ++received_;
    cv_.notify_all();
}

}  // namespace sb_it
