#pragma once
// --token-file: who may use the bridge. One entry per line; blank lines and lines starting
// with '#' are ignored:
//
//   <token>                                  a static token for every room
//   token <token> [rooms=<room>[,<room>...]] [scope=admin]
//                                            a static token limited to those room patterns;
//                                            scope=admin also lets it remove sensors
//   jwt-secret <secret>                      a key for HS256 JWTs (repeatable: key rotation)
//
// Static tokens are 16 to 512 characters of [A-Za-z0-9._~-] (safe in a header, a WebSocket
// subprotocol and a query string); secrets are at least 32 bytes (RFC 7518 §3.2) without
// spaces. Only SHA-256 digests of the static tokens are kept. Duplicates are refused, as a
// name twice in any JSON input is: the same token or secret on two lines, or rooms= or
// scope=admin twice on one line.
#include <cstddef>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/crypto.hpp"
#include "auth/room_scope.hpp"

namespace sb {

inline constexpr std::size_t min_static_token_bytes = 16;
inline constexpr std::size_t max_static_token_bytes = 512;
inline constexpr std::size_t min_jwt_secret_bytes = 32;
inline constexpr std::size_t max_token_file_bytes = 1024 * 1024;

struct static_token {
    sha256_digest digest{};
    room_scope scope = room_scope::everything();
    bool admin = false;
    std::size_t line = 0;  // names the token in logs without revealing it
};

struct token_set {
    std::vector<static_token> tokens;
    std::vector<std::string> jwt_secrets;
};

// The parsed file, or a one-line reason naming the line ("line 3: ..."); a reason never
// quotes the line, which may hold a secret.
std::variant<token_set, std::string> parse_token_file(std::string_view text);

// Reads and parses path. Throws std::runtime_error with a one-line reason.
token_set load_token_file(const std::string& path);

}  // namespace sb
