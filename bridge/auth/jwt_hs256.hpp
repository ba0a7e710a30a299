#pragma once
// JSON Web Tokens signed with HMAC-SHA256 (RFC 7519, RFC 7515 compact form). Only HS256 is
// accepted: the header's alg must be exactly "HS256" ("none" and every other algorithm are
// refused, so a token cannot choose how it is checked), a crit header is refused, exp is
// required, nbf is honoured, a header or claims object naming a member twice is malformed
// (core/json_duplicate_key.hpp), and the optional `rooms` claim (a list of room patterns) limits
// what the token may subscribe to.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "auth/auth_result.hpp"

namespace sb {

inline constexpr std::size_t max_token_bytes = 4096;
inline constexpr std::int64_t jwt_leeway_ms = 30'000;  // clock skew allowed on exp and nbf
inline constexpr std::size_t max_jwt_rooms = 256;

// True when token has the shape header.payload.signature (two dots, base64url characters).
bool looks_like_jwt(std::string_view token) noexcept;

// Checks the signature against each secret, then the claims at now_ms (ms since the epoch).
auth_result verify_jwt_hs256(std::string_view token, const std::vector<std::string>& secrets, std::int64_t now_ms);

}  // namespace sb
