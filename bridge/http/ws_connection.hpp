#pragma once
// One HTTP request or WebSocket connection of the endpoint, plain or TLS. websocketpp's
// connection type depends on its config (asio or asio_tls) and the two share no base class;
// this is the part of their API the endpoint, its sessions and its security checks use, with
// websocketpp's own names and signatures, so the protocol code exists once and reads as before.
// ws_server.cpp implements it for both configs. Network thread only, like the connection.
#include <asio/basic_socket.hpp>
#include <asio/ip/tcp.hpp>
#include <websocketpp/close.hpp>
#include <websocketpp/common/system_error.hpp>
#include <websocketpp/config/core.hpp>
#include <websocketpp/frame.hpp>
#include <websocketpp/http/constants.hpp>

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sb {

// A websocketpp message (a prepared frame, a received one): the same type under both configs.
using ws_message_ptr = websocketpp::config::core::message_type::ptr;

class ws_connection {
public:
    using request_type = websocketpp::config::core::request_type;
    using error_code = websocketpp::lib::error_code;

    virtual ~ws_connection() = default;

    // The request (HTTP, or the WebSocket handshake)
    virtual const request_type& get_request() const = 0;
    virtual const std::string& get_request_header(const std::string& key) const = 0;
    virtual const std::string& get_resource() const = 0;
    virtual const std::vector<std::string>& get_requested_subprotocols() const = 0;
    virtual void select_subprotocol(const std::string& value, error_code& ec) = 0;
    virtual std::string get_remote_endpoint() const = 0;
    // The TCP socket under TLS too (its peer address, options).
    virtual asio::ip::tcp::socket::lowest_layer_type& get_raw_socket() = 0;
    virtual error_code get_ec() const = 0;

    // The HTTP answer, or a refused handshake
    virtual void set_status(websocketpp::http::status_code::value code) = 0;
    virtual void replace_header(const std::string& key, const std::string& value) = 0;
    virtual void set_body(const std::string& value) = 0;
    // An answer made later (http_reply::deferred): defer in the HTTP handler, send when ready.
    virtual error_code defer_http_response() = 0;
    virtual void send_http_response() = 0;

    // An open WebSocket
    virtual error_code send(const std::string& payload, websocketpp::frame::opcode::value op) = 0;
    virtual error_code send(ws_message_ptr msg) = 0;
    virtual void close(websocketpp::close::status::value code, const std::string& reason, error_code& ec) = 0;
    virtual void ping(const std::string& payload, error_code& ec) = 0;
    virtual void terminate(const error_code& ec) = 0;
    virtual std::size_t get_buffered_amount() const = 0;
};

using ws_connection_ptr = std::shared_ptr<ws_connection>;

}  // namespace sb
