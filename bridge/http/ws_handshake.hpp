#pragma once
// The security checks on one incoming HTTP request or WebSocket handshake that need the
// websocketpp connection (its headers, subprotocols and socket): the peer's address, the
// token it presented, and the REST 401. The endpoint decides what to do with the answers.
#include <cstdint>
#include <optional>
#include <string>

#include "auth/auth_result.hpp"
#include "auth/token_verifier.hpp"
#include "http/http_types.hpp"
#include "http/request_token.hpp"
#include "http/ws_server.hpp"

namespace sb {

// The peer's IP address ("127.0.0.2", "::1"; an IPv4-mapped IPv6 address as IPv4), "" when
// the socket is gone.
std::string peer_address(const ws_connection_ptr& con);
// The peer is a loopback address and the request names no other client behind it (no
// Forwarded or X-Forwarded-For header from a reverse proxy on the same machine).
bool direct_loopback_peer(const ws_connection_ptr& con);

struct handshake_token {
    token_source source = token_source::none;
    std::string token;                   // "" when none came
    std::optional<auth_result> result;   // nullopt when no token came
};

// Selects the subprotocol to echo (sensor-bridge, else bearer.<token>) and, with a verifier,
// finds and checks the token of the handshake.
handshake_token check_handshake(const ws_connection_ptr& con, const token_verifier* verifier, std::int64_t now_ms);

// For a plain HTTP request: nullopt when it may go on (req.scope set to what the token
// covers), else the 401 reply (logged, the target redacted; a refused token, not a missing
// one, counted in failures).
std::optional<http_reply> authorize_http(const ws_connection_ptr& con, const token_verifier& verifier,
                                         http_request& req, std::int64_t now_ms, std::uint64_t& failures);

// Logs a refused token: peer, where it came from, why, and the target with tokens redacted.
void log_auth_refused(const ws_connection_ptr& con, token_source source, auth_failure why);

}  // namespace sb
