#pragma once
// A tiny blocking HTTPS client on Asio SSL for the tests: the server's certificate must chain
// to the given CA file and name the host (as a browser checks), else the answer is status 0
// with the TLS error.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>

#include "support/http_client.hpp"

namespace sb_it {

// What the client offers: by default OpenSSL's TLS versions and ciphers.
struct tls_offer {
    int max_version = 0;         // e.g. TLS1_1_VERSION (0x0302); 0: the newest
    std::string tls12_ciphers;   // OpenSSL cipher list for TLS 1.2 and older; empty: the default
};

http_response https_get(std::uint16_t port, const std::string& target, const std::filesystem::path& ca,
                        const std::string& host = "127.0.0.1", const tls_offer& offer = {},
                        std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

}  // namespace sb_it
