#pragma once
// Minting HS256 JWTs (and broken ones) for the auth tests.
#include <string>

#include "auth/base64url.hpp"
#include "auth/crypto.hpp"

namespace sb::test {

inline const std::string secret_a = "0123456789abcdef0123456789abcdef";  // 32 bytes
inline const std::string secret_b = "fedcba9876543210fedcba9876543210-rotated";
inline constexpr std::int64_t now = 1795000000000;  // ms
inline constexpr std::int64_t now_s = now / 1000;

inline std::string sign(const std::string& header_json, const std::string& claims_json, const std::string& secret) {
    const std::string text = base64url_encode(header_json) + "." + base64url_encode(claims_json);
    const auto mac = hmac_sha256(secret, text);
    return text + "." + base64url_encode(std::string(mac->begin(), mac->end()));
}

inline std::string jwt(const std::string& claims_json, const std::string& secret = secret_a) {
    return sign(R"({"alg":"HS256","typ":"JWT"})", claims_json, secret);
}

inline std::string exp_in(std::int64_t seconds, const std::string& extra = "") {
    return "{\"exp\":" + std::to_string(now_s + seconds) + extra + "}";
}

}  // namespace sb::test
