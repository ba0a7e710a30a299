#pragma once
// How the one listening port behaves: address, limits, heartbeat, security (docs/CONFIGURATION.md).
#include <asio/ssl/context.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "auth/token_verifier.hpp"
#include "http/connection_guard.hpp"

namespace sb {

struct ws_listener_options {
    std::string bind = "127.0.0.1";
    std::uint16_t port = 8080;
    std::vector<std::string> allowed_origins;  // --allowed-origin (each parses: checked by the options)
    std::vector<std::string> allowed_hosts;    // --allowed-host patterns
    std::size_t max_connections = 1000;
    std::size_t max_buffered_bytes = 4 * 1024 * 1024;  // high watermark: close 4008 after the grace
    std::size_t conflate_bytes = 1024 * 1024;          // low watermark: conflate past it
    std::uint32_t slow_grace_ms = 5000;
    std::size_t max_queued_bytes = 32 * 1024 * 1024;   // all connections together (send_budget)
    std::uint32_t heartbeat_ms = 30000;
    std::string instance;  // the database's instance id, told in `connected` (sqlite_store::instance)
    std::uint32_t pong_timeout_ms = 10000;
    // Security (docs/SECURITY.md): null verifier = no --token-file, everything open.
    const token_verifier* verifier = nullptr;
    guard_limits guard;                       // message rate, auth and idle timeouts
    std::size_t max_connections_per_ip = 0;   // 0: no limit
    std::uint32_t handshake_timeout_ms = 5000;  // whole request (headers, body) or WebSocket upgrade
    std::size_t max_http_body = 64 * 1024;    // larger: 413 (headers over 16000 bytes: 431, websocketpp's)
    // null: plain http:// and ws://; else the port speaks only https:// and wss://, with this context.
    std::shared_ptr<asio::ssl::context> tls;
};

}  // namespace sb
