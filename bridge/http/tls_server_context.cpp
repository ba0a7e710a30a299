#include "http/tls_server_context.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

#include "core/tls_files.hpp"

namespace sb {
namespace {

// TLS 1.2 suites with ECDHE key exchange and an AEAD cipher; TLS 1.3 keeps OpenSSL's list.
constexpr const char* tls12_ciphers = "ECDHE+AESGCM:ECDHE+CHACHA20:!aNULL:!eNULL";

}  // namespace

std::shared_ptr<asio::ssl::context> make_tls_server_context(const std::string& cert_file, const std::string& key_file) {
    auto ctx = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
    ctx->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                     asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1 |
                     asio::ssl::context::no_compression | asio::ssl::context::single_dh_use);
    SSL_CTX* native = ctx->native_handle();
    SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
    SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_set_cipher_list(native, tls12_ciphers) != 1) throw std::runtime_error("no usable TLS 1.2 cipher");
    const std::string why = load_cert_and_key(native, {"--tls-cert", cert_file}, {"--tls-key", key_file});
    if (!why.empty()) throw std::runtime_error(why);
    return ctx;
}

}  // namespace sb
