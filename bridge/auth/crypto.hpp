#pragma once
// The few primitives authentication needs, on OpenSSL's libcrypto.
#include <array>
#include <optional>
#include <string_view>

namespace sb {

using sha256_digest = std::array<unsigned char, 32>;

// nullopt only when libcrypto itself fails (out of memory): callers refuse the token then.
std::optional<sha256_digest> sha256(std::string_view data) noexcept;
std::optional<sha256_digest> hmac_sha256(std::string_view key, std::string_view data) noexcept;
// Compares in time that depends on the length only (CRYPTO_memcmp).
bool equal_constant_time(const sha256_digest& a, const sha256_digest& b) noexcept;

}  // namespace sb
