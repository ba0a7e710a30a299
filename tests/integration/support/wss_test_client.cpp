#include "support/wss_test_client.hpp"

#include <stdexcept>

namespace sb_it {

wss_test_client::wss_test_client(std::filesystem::path ca, std::string host) : ca_(std::move(ca)), host_(std::move(host)) {
    client_.clear_access_channels(websocketpp::log::alevel::all);
    client_.clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    client_.init_asio(ec);
    if (ec) throw std::runtime_error("websocketpp init_asio: " + ec.message());
    client_.set_tls_init_handler([this](websocketpp::connection_hdl) {
        auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
        ctx->load_verify_file(ca_.string());
        ctx->set_verify_mode(asio::ssl::verify_peer);
        ctx->set_verify_callback(asio::ssl::host_name_verification(host_));
        return ctx;
    });
    client_.set_open_handler([this](websocketpp::connection_hdl) { set_state(state::open); });
    client_.set_fail_handler([this](websocketpp::connection_hdl h) {
        websocketpp::lib::error_code e;
        auto con = client_.get_con_from_hdl(h, e);
        set_state(state::failed, e ? e.message() : con->get_ec().message() + ": " + con->get_transport_ec().message());
    });
    client_.set_close_handler([this](websocketpp::connection_hdl) { set_state(state::closed); });
    client_.set_message_handler([this](websocketpp::connection_hdl, client::message_ptr m) {
        std::lock_guard<std::mutex> lock(mutex_);
        frames_.push_back(m->get_payload());
        cv_.notify_all();
    });
    client_.start_perpetual();
    io_thread_ = std::thread([this] { client_.run(); });
}

wss_test_client::~wss_test_client() {
    websocketpp::lib::error_code ec;
    {
        std::unique_lock<std::mutex> lock(mutex_);
        if (state_ == state::open) {
            lock.unlock();
            client_.close(hdl_, websocketpp::close::status::normal, "test done", ec);
            lock.lock();
            cv_.wait_for(lock, std::chrono::milliseconds(500), [this] { return state_ != state::open; });
        }
    }
    client_.stop_perpetual();
    client_.stop();
    io_thread_.join();
}

bool wss_test_client::connect(std::uint16_t port, std::chrono::milliseconds timeout) {
    websocketpp::lib::error_code ec;
    auto con = client_.get_connection("wss://" + host_ + ":" + std::to_string(port) + "/ws", ec);
    if (ec) {
        set_state(state::failed, ec.message());
        return false;
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

void wss_test_client::send(const std::string& text) {
    websocketpp::lib::error_code ec;
    client_.send(hdl_, text, websocketpp::frame::opcode::text, ec);
    if (ec) throw std::runtime_error("wss send: " + ec.message());
}

std::optional<std::string> wss_test_client::wait_for(const std::function<bool(const std::string&)>& pred,
                                                     std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
        while (!frames_.empty()) {
            std::string f = std::move(frames_.front());
            frames_.pop_front();
            if (pred(f)) return f;
        }
        if (state_ == state::closed || state_ == state::failed) return std::nullopt;
        if (cv_.wait_until(lock, deadline) == std::cv_status::timeout && frames_.empty()) return std::nullopt;
    }
}

std::string wss_test_client::error() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return error_;
}

void wss_test_client::set_state(state s, std::string error) {
    std::lock_guard<std::mutex> lock(mutex_);
    state_ = s;
    if (!error.empty()) error_ = std::move(error);
    cv_.notify_all();
}

}  // namespace sb_it
