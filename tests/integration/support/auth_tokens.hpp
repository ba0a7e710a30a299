#pragma once
// The token file and tokens the auth and limits tests use, and HS256 JWTs minted for them.
#include <chrono>
#include <cstdint>
#include <string>

#include "auth/base64url.hpp"
#include "auth/crypto.hpp"

namespace sb_it {

inline const std::string all_rooms_token = "it-all-rooms-token-0123456789";
inline const std::string kitchen_token = "it-kitchen-token-0123456789";
inline const std::string jwt_secret = "it-jwt-secret-0123456789abcdef0123456789";

inline std::string token_file_text() {
    return "# integration tests\n" + all_rooms_token + "\ntoken " + kitchen_token +
           " rooms=sensor:kitchen.*\njwt-secret " + jwt_secret + "\n";
}

inline std::int64_t epoch_s() {
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

inline std::string sign_jwt(const std::string& header_json, const std::string& claims_json,
                            const std::string& secret = jwt_secret) {
    const std::string text = sb::base64url_encode(header_json) + "." + sb::base64url_encode(claims_json);
    const auto mac = sb::hmac_sha256(secret, text);
    return text + "." + sb::base64url_encode(std::string(mac->begin(), mac->end()));
}

// A JWT valid for exp_in_s more seconds (negative: expired), extra claims appended (",\"rooms\":[...]").
inline std::string jwt(std::int64_t exp_in_s, const std::string& extra = "", const std::string& secret = jwt_secret) {
    return sign_jwt(R"({"alg":"HS256","typ":"JWT"})", "{\"exp\":" + std::to_string(epoch_s() + exp_in_s) + extra + "}",
                    secret);
}

}  // namespace sb_it
