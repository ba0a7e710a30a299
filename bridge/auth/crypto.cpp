#include "auth/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

namespace sb {

std::optional<sha256_digest> sha256(std::string_view data) noexcept {
    sha256_digest out{};
    unsigned int len = 0;
    if (EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size()) {
        return std::nullopt;
    }
    return out;
}

std::optional<sha256_digest> hmac_sha256(std::string_view key, std::string_view data) noexcept {
    sha256_digest out{};
    unsigned int len = 0;
    const auto* d = reinterpret_cast<const unsigned char*>(data.data());
    if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), d, data.size(), out.data(), &len) ||
        len != out.size()) {
        return std::nullopt;
    }
    return out;
}

bool equal_constant_time(const sha256_digest& a, const sha256_digest& b) noexcept {
    return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sb
