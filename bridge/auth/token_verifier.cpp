#include "auth/token_verifier.hpp"

#include "auth/jwt_hs256.hpp"

namespace sb {

auth_result token_verifier::verify(std::string_view token, std::int64_t now_ms) const {
    if (token.empty()) return auth_failure::missing;
    if (token.size() > max_token_bytes) return auth_failure::malformed;
    auto digest = sha256(token);
    if (!digest) return auth_failure::malformed;
    const static_token* match = nullptr;
    for (const auto& t : set_.tokens) {  // no early exit
        if (equal_constant_time(t.digest, *digest) && !match) match = &t;
    }
    if (match) {
        auth_grant grant;
        grant.scope = match->scope;
        grant.admin = match->admin;
        grant.subject = "token-line-" + std::to_string(match->line);
        return grant;
    }
    if (!set_.jwt_secrets.empty() && looks_like_jwt(token)) return verify_jwt_hs256(token, set_.jwt_secrets, now_ms);
    return auth_failure::unknown_token;
}

}  // namespace sb
