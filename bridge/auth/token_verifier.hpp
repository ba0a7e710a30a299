#pragma once
// Checks a presented token against the --token-file entries: static tokens first (SHA-256
// digests compared in constant time, every entry looked at), then, for a JWT-shaped token,
// each jwt-secret. Lives on the network thread; replace() swaps the entries (SIGHUP reload).
#include <cstdint>
#include <string_view>

#include "auth/auth_result.hpp"
#include "auth/token_file.hpp"

namespace sb {

class token_verifier {
public:
    explicit token_verifier(token_set set) : set_(std::move(set)) {}

    // now_ms: wall-clock ms since the epoch (JWT exp/nbf are wall-clock times).
    auth_result verify(std::string_view token, std::int64_t now_ms) const;

    void replace(token_set set) { set_ = std::move(set); }
    std::size_t static_tokens() const noexcept { return set_.tokens.size(); }
    std::size_t jwt_secrets() const noexcept { return set_.jwt_secrets.size(); }

private:
    token_set set_;
};

}  // namespace sb
