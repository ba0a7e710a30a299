#pragma once
// Where a client's token may come from, in this order: an `Authorization: Bearer <token>`
// header, a `bearer.<token>` WebSocket subprotocol (browsers cannot set headers on a
// WebSocket), or a `token` query parameter (works, but ends up in proxies' and browsers'
// histories: every log line shows it redacted). The fourth way, an `auth` message on an open
// WebSocket, is handled by the client protocol. Pure functions, but for the log line.
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_result.hpp"

namespace sb {

enum class token_source { none, header, subprotocol, query, message };
std::string_view to_string(token_source s) noexcept;

inline constexpr std::string_view bearer_subprotocol_prefix = "bearer.";
// The application subprotocol a browser offers next to the bearer one; the server echoes it
// (RFC 6455 §4.2.2) so the token is not sent back.
inline constexpr std::string_view app_subprotocol = "sensor-bridge";

struct presented_token {
    std::string token;
    token_source source = token_source::none;
    bool malformed = false;  // an Authorization header that is not "Bearer <token>", a bad %-escape
};

presented_token find_token(std::string_view authorization, const std::vector<std::string>& subprotocols,
                           std::string_view target);

// The subprotocol to select from those offered: "sensor-bridge" when offered, else the
// bearer one, else none ("").
std::string choose_subprotocol(const std::vector<std::string>& offered);

// target with the value of every token / access_token query parameter replaced by
// "REDACTED", for logging.
std::string redact_target(std::string_view target);

// Logs a refused token: the peer ("ip:port"), where it came from, why, and the request target
// with tokens redacted. A missing token (a page asking before it has one) is logged at info.
void log_auth_refused(std::string_view peer, std::string_view target, token_source source, auth_failure why);

}  // namespace sb
