#pragma once
// The HTTP/WebSocket server behind the endpoint's one port: websocketpp over plain TCP (http://,
// ws://) or over TLS (https://, wss://). websocketpp makes these two types (config asio and
// asio_tls) with different connection types; this interface mirrors the part of
// websocketpp::server the endpoint uses, under the same names, with connections as
// ws_connection, so the protocol code above it exists once. ws_server.cpp instantiates the
// websocketpp server for each config.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/context.hpp>
#include <websocketpp/common/connection_hdl.hpp>
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/ws_connection.hpp"

namespace sb {

class ws_server {
public:
    using hdl = websocketpp::connection_hdl;
    using connection_ptr = ws_connection_ptr;
    using message_ptr = ws_message_ptr;
    using error_code = websocketpp::lib::error_code;
    // Under TLS: the TCP socket below the TLS stream.
    using accepted_handler = std::function<void(hdl, asio::ip::tcp::socket::lowest_layer_type&)>;

    virtual ~ws_server() = default;

    virtual bool tls() const noexcept = 0;

    virtual void init_asio(asio::io_context* io, error_code& ec) = 0;
    virtual void clear_access_channels(websocketpp::log::level channels) = 0;
    virtual void clear_error_channels(websocketpp::log::level channels) = 0;
    virtual void set_user_agent(const std::string& ua) = 0;
    virtual void set_reuse_addr(bool value) = 0;
    virtual void set_listen_backlog(int backlog) = 0;
    virtual void set_max_message_size(std::size_t bytes) = 0;
    virtual void set_max_http_body_size(std::size_t bytes) = 0;
    virtual void set_open_handshake_timeout(long ms) = 0;
    virtual void set_close_handshake_timeout(long ms) = 0;
    virtual void set_pong_timeout(long ms) = 0;

    // Called once per accepted TCP connection with its connected socket, before any TLS
    // handshake or HTTP byte. (websocketpp's socket_init handler runs before accept, on a socket
    // that is not open yet: options set there fail silently.)
    virtual void set_accepted_handler(accepted_handler h) = 0;
    virtual void set_validate_handler(std::function<bool(hdl)> h) = 0;
    virtual void set_open_handler(std::function<void(hdl)> h) = 0;
    virtual void set_close_handler(std::function<void(hdl)> h) = 0;
    virtual void set_fail_handler(std::function<void(hdl)> h) = 0;
    virtual void set_http_handler(std::function<void(hdl)> h) = 0;
    virtual void set_message_handler(std::function<void(hdl, message_ptr)> h) = 0;
    virtual void set_ping_handler(std::function<bool(hdl, std::string)> h) = 0;
    virtual void set_pong_handler(std::function<void(hdl, std::string)> h) = 0;
    virtual void set_pong_timeout_handler(std::function<void(hdl, std::string)> h) = 0;

    virtual void listen(const asio::ip::tcp::endpoint& ep, error_code& ec) = 0;
    virtual asio::ip::tcp::endpoint get_local_endpoint(asio::error_code& ec) = 0;
    virtual void start_accept(error_code& ec) = 0;
    virtual void stop_listening(error_code& ec) = 0;
    // The connection behind h (a new handle to it on each call); null, with ec set, when gone.
    virtual connection_ptr get_con_from_hdl(hdl h, error_code& ec) = 0;
};

// tls null: plain TCP. Else every connection does TLS with that (shared) context first; a peer
// that fails the TLS handshake reaches the fail handler like any other failed connection.
std::unique_ptr<ws_server> make_ws_server(std::shared_ptr<asio::ssl::context> tls);

}  // namespace sb
