#include "http/ws_server.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <websocketpp/config/asio.hpp>

#include <cstdint>
#include <type_traits>
#include <utility>

#include "core/log.hpp"


namespace sb {
namespace {

template <class Config>
using server_t = websocketpp::server<Config>;

// websocketpp's configs with a smaller read buffer: the connection object embeds it
// (char[connection_read_buffer_size], 16 KiB by default) and it is most of what an idle
// connection costs. Client messages are at most 4 KiB and HTTP heads at most 16 000 bytes;
// both are parsed as they arrive, so a small buffer only means more reads for big ones.
constexpr std::size_t read_buffer_bytes = 1024;

struct plain_config : websocketpp::config::asio {
    static const std::size_t connection_read_buffer_size = read_buffer_bytes;
};
struct tls_config : websocketpp::config::asio_tls {
    static const std::size_t connection_read_buffer_size = read_buffer_bytes;
};

template <class Config>
inline constexpr bool is_tls_config = std::is_same_v<Config, tls_config>;

// websocketpp reports a failed TLS handshake as just that and keeps OpenSSL's reason to itself:
// an info callback on each connection's SSL keeps the error code of the failure in its ex data,
// and the fail handler logs it with the peer.
int handshake_error_index() {
    static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
    return index;
}

void keep_handshake_error(const SSL* ssl, int where, int ret) {
    if ((where & SSL_CB_ACCEPT_EXIT) == 0 || ret > 0) return;
    if (SSL_get_error(ssl, ret) != SSL_ERROR_SSL) return;  // wants more bytes: not over yet
    const auto code = static_cast<std::uintptr_t>(ERR_peek_last_error());
    SSL_set_ex_data(const_cast<SSL*>(ssl), handshake_error_index(), reinterpret_cast<void*>(code));
}

void log_handshake_error(const std::string& peer, SSL* ssl) {
    const auto code = static_cast<unsigned long>(reinterpret_cast<std::uintptr_t>(SSL_get_ex_data(ssl, handshake_error_index())));
    const char* reason = code ? ERR_reason_error_string(code) : nullptr;
    const bool plain_http = ERR_GET_LIB(code) == ERR_LIB_SSL && ERR_GET_REASON(code) == SSL_R_HTTP_REQUEST;
    SB_LOG(info, "http", "tls handshake failed",
           "peer=" + log_quote(peer) + " error=" + log_quote(reason ? reason : "timeout or connection closed", 128) +
               (plain_http ? " hint=\"plain http:// or ws:// to the TLS port\"" : ""));
}

// ws_connection over one websocketpp connection: each call forwards.
template <class Config>
class connection_on final : public ws_connection {
public:
    using con_ptr = typename server_t<Config>::connection_ptr;
    explicit connection_on(con_ptr c) : c_(std::move(c)) {}

    const request_type& get_request() const override { return c_->get_request(); }
    const std::string& get_request_header(const std::string& key) const override {
        return c_->get_request_header(key);
    }
    const std::string& get_resource() const override { return c_->get_resource(); }
    const std::vector<std::string>& get_requested_subprotocols() const override {
        return c_->get_requested_subprotocols();
    }
    void select_subprotocol(const std::string& value, error_code& ec) override { c_->select_subprotocol(value, ec); }
    std::string get_remote_endpoint() const override { return c_->get_remote_endpoint(); }
    asio::ip::tcp::socket::lowest_layer_type& get_raw_socket() override { return c_->get_raw_socket(); }
    error_code get_ec() const override { return c_->get_ec(); }

    void set_status(websocketpp::http::status_code::value code) override {
        if (code == 421) {  // not in websocketpp's table of reason phrases (RFC 9110 §15.5.20)
            c_->set_status(code, "Misdirected Request");
        } else {
            c_->set_status(code);
        }
    }
    void replace_header(const std::string& key, const std::string& value) override { c_->replace_header(key, value); }
    void set_body(const std::string& value) override { c_->set_body(value); }
    error_code defer_http_response() override { return c_->defer_http_response(); }
    void send_http_response() override { c_->send_http_response(); }

    error_code send(const std::string& payload, websocketpp::frame::opcode::value op) override {
        return c_->send(payload, op);
    }
    error_code send(ws_message_ptr msg) override { return c_->send(std::move(msg)); }
    void close(websocketpp::close::status::value code, const std::string& reason, error_code& ec) override {
        c_->close(code, reason, ec);
    }
    void ping(const std::string& payload, error_code& ec) override { c_->ping(payload, ec); }
    void terminate(const error_code& ec) override { c_->terminate(ec); }
    std::size_t get_buffered_amount() const override { return c_->get_buffered_amount(); }

private:
    con_ptr c_;
};

// ws_server over websocketpp::server<Config>: each call forwards; TLS adds the context and the
// log line of a failed handshake.
template <class Config>
class server_on final : public ws_server {
public:
    explicit server_on(std::shared_ptr<asio::ssl::context> tls) {
        if constexpr (is_tls_config<Config>) {
            s_.set_tls_init_handler([ctx = std::move(tls)](hdl) { return ctx; });
        }
        if constexpr (is_tls_config<Config>) {
            s_.set_socket_init_handler([](hdl, auto& socket) {
                SSL_set_info_callback(socket.native_handle(), keep_handshake_error);
            });
        }
    }

    bool tls() const noexcept override { return is_tls_config<Config>; }

    void init_asio(asio::io_context* io, error_code& ec) override { s_.init_asio(io, ec); }
    void clear_access_channels(websocketpp::log::level channels) override { s_.clear_access_channels(channels); }
    void clear_error_channels(websocketpp::log::level channels) override { s_.clear_error_channels(channels); }
    void set_user_agent(const std::string& ua) override { s_.set_user_agent(ua); }
    void set_reuse_addr(bool value) override { s_.set_reuse_addr(value); }
    void set_listen_backlog(int backlog) override { s_.set_listen_backlog(backlog); }
    void set_max_message_size(std::size_t bytes) override { s_.set_max_message_size(bytes); }
    void set_max_http_body_size(std::size_t bytes) override { s_.set_max_http_body_size(bytes); }
    void set_open_handshake_timeout(long ms) override { s_.set_open_handshake_timeout(ms); }
    void set_close_handshake_timeout(long ms) override { s_.set_close_handshake_timeout(ms); }
    void set_pong_timeout(long ms) override { s_.set_pong_timeout(ms); }

    void set_accepted_handler(accepted_handler h) override {
        s_.set_tcp_pre_init_handler([this, h = std::move(h)](hdl x) {
            error_code ec;
            auto c = s_.get_con_from_hdl(x, ec);
            if (!ec && c && h) h(x, c->get_raw_socket());
        });
    }
    void set_validate_handler(std::function<bool(hdl)> h) override { s_.set_validate_handler(std::move(h)); }
    void set_open_handler(std::function<void(hdl)> h) override { s_.set_open_handler(std::move(h)); }
    void set_close_handler(std::function<void(hdl)> h) override { s_.set_close_handler(std::move(h)); }
    void set_fail_handler(std::function<void(hdl)> h) override {
        // Two branches, not `if constexpr` inside one lambda: on the plain server the capture of
        // this would be unused, which clang (-Wunused-lambda-capture) refuses.
        if constexpr (is_tls_config<Config>) {
            s_.set_fail_handler([this, h = std::move(h)](hdl x) {
                log_tls_failure(x);
                if (h) h(x);
            });
        } else {
            s_.set_fail_handler(std::move(h));
        }
    }
    void set_http_handler(std::function<void(hdl)> h) override { s_.set_http_handler(std::move(h)); }
    void set_message_handler(std::function<void(hdl, message_ptr)> h) override { s_.set_message_handler(std::move(h)); }
    void set_ping_handler(std::function<bool(hdl, std::string)> h) override { s_.set_ping_handler(std::move(h)); }
    void set_pong_handler(std::function<void(hdl, std::string)> h) override { s_.set_pong_handler(std::move(h)); }
    void set_pong_timeout_handler(std::function<void(hdl, std::string)> h) override {
        s_.set_pong_timeout_handler(std::move(h));
    }

    void listen(const asio::ip::tcp::endpoint& ep, error_code& ec) override { s_.listen(ep, ec); }
    asio::ip::tcp::endpoint get_local_endpoint(asio::error_code& ec) override { return s_.get_local_endpoint(ec); }
    void start_accept(error_code& ec) override { s_.start_accept(ec); }
    void stop_listening(error_code& ec) override { s_.stop_listening(ec); }
    connection_ptr get_con_from_hdl(hdl h, error_code& ec) override {
        auto c = s_.get_con_from_hdl(h, ec);
        if (ec || !c) return nullptr;
        return std::make_shared<connection_on<Config>>(std::move(c));
    }

private:
    void log_tls_failure(hdl x) {
        namespace socket = websocketpp::transport::asio::socket;
        error_code ec;
        auto c = s_.get_con_from_hdl(x, ec);
        if (ec || !c || c->get_ec() != socket::make_error_code(socket::error::tls_handshake_failed)) return;
        log_handshake_error(c->get_remote_endpoint(), c->get_socket().native_handle());
    }

    server_t<Config> s_;
};

}  // namespace

std::unique_ptr<ws_server> make_ws_server(std::shared_ptr<asio::ssl::context> tls) {
    if (tls) return std::make_unique<server_on<tls_config>>(std::move(tls));
    return std::make_unique<server_on<plain_config>>(nullptr);
}

}  // namespace sb
