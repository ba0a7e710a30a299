#pragma once
// Certificates, keys and CA bundles (PEM files) loaded into an OpenSSL context, with one-line
// reasons that name the option. Start-up checks them with the same code that later builds the
// real contexts, so a missing, unreadable or mismatched file stops the bridge (exit 2) instead
// of failing every connection. Private keys must be unencrypted: a passphrase is never asked
// for (a service has no terminal to ask on). Nothing here logs or returns a file's content.
#include <string>

struct ssl_ctx_st;  // OpenSSL's SSL_CTX

namespace sb {

// A PEM file given by a command-line option, for error messages: "--tls-cert '/etc/x.pem'".
struct tls_file {
    std::string option;
    std::string path;
};

// Each returns an empty string on success, else why it failed.
// The certificate chain (leaf first) and its private key; checks that they belong together.
std::string load_cert_and_key(ssl_ctx_st* ctx, const tls_file& cert, const tls_file& key);
// Trusted CA certificates (one or more PEM certificates in one file).
std::string load_ca_file(ssl_ctx_st* ctx, const tls_file& ca);

// The same checks on a scratch context, for start-up validation.
std::string check_cert_and_key(const tls_file& cert, const tls_file& key);
std::string check_ca_file(const tls_file& ca);

}  // namespace sb
