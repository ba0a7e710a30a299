#pragma once
// The TLS settings of the HTTP/WebSocket port (https://, wss://), built once at start and shared
// by every connection: TLS 1.2 or newer, forward-secret AEAD ciphers for TLS 1.2 (TLS 1.3's are
// all of that kind), no compression, no renegotiation, the server's cipher order.
#include <asio/ssl/context.hpp>

#include <memory>
#include <string>

namespace sb {

// Throws std::runtime_error with a one-line reason (naming --tls-cert / --tls-key) when the
// certificate chain or key does not load or they do not belong together.
std::shared_ptr<asio::ssl::context> make_tls_server_context(const std::string& cert_file, const std::string& key_file);

}  // namespace sb
