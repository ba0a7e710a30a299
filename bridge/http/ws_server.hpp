#pragma once
// The websocketpp server type used by the HTTP/WebSocket endpoint (plain TCP; TLS comes later).
#include <websocketpp/config/asio_no_tls.hpp>
#include <websocketpp/server.hpp>

namespace sb {

using ws_server = websocketpp::server<websocketpp::config::asio>;
using ws_connection_ptr = ws_server::connection_ptr;
using ws_message_ptr = ws_server::message_ptr;

}  // namespace sb
