#include "core/tls_files.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iterator>
#include <memory>

namespace sb {
namespace {

std::string named(const tls_file& f) { return f.option + " '" + f.path + "'"; }

// OpenSSL's last error on this thread (the queue is emptied), and its text.
unsigned long last_openssl_error() {
    unsigned long code = 0;
    unsigned long last = 0;
    while ((code = ERR_get_error()) != 0) last = code;
    return last;
}
std::string openssl_reason(unsigned long code) {
    const char* reason = code ? ERR_reason_error_string(code) : nullptr;
    return reason ? reason : "unknown error";
}
std::string openssl_reason() { return openssl_reason(last_openssl_error()); }

// Whether the file can be opened, and its bytes when wanted (only to look for PEM markers).
std::string unreadable(const tls_file& f, std::string* content = nullptr) {
    std::ifstream in(f.path, std::ios::binary);
    if (!in) return "cannot read " + named(f) + ": " + std::strerror(errno);
    if (content) content->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    return {};
}

// Never prompt for a passphrase: an encrypted key fails to load instead.
int no_passphrase(char*, int, int, void*) { return 0; }

struct ctx_deleter {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using ctx_ptr = std::unique_ptr<SSL_CTX, ctx_deleter>;

ctx_ptr scratch_context() { return ctx_ptr(SSL_CTX_new(TLS_method())); }

}  // namespace

std::string load_cert_and_key(ssl_ctx_st* ctx, const tls_file& cert, const tls_file& key) {
    ERR_clear_error();
    if (auto why = unreadable(cert); !why.empty()) return why;
    std::string key_pem;
    if (auto why = unreadable(key, &key_pem); !why.empty()) return why;
    if (SSL_CTX_use_certificate_chain_file(ctx, cert.path.c_str()) != 1) {
        return named(cert) + " is not a PEM certificate (" + openssl_reason() + ")";
    }
    SSL_CTX_set_default_passwd_cb(ctx, no_passphrase);
    const bool encrypted = key_pem.find("ENCRYPTED") != std::string::npos;
    key_pem.assign(key_pem.size(), '\0');  // no copy of the key outlives this check
    const std::string mismatch = named(key) + " does not belong to the certificate in " + named(cert);
    if (SSL_CTX_use_PrivateKey_file(ctx, key.path.c_str(), SSL_FILETYPE_PEM) != 1) {
        const unsigned long code = last_openssl_error();
        if (encrypted) return named(key) + " is encrypted; give the key unencrypted (PEM), readable only by the bridge";
        if (ERR_GET_LIB(code) == ERR_LIB_X509 && ERR_GET_REASON(code) == X509_R_KEY_VALUES_MISMATCH) return mismatch;
        return named(key) + " is not a PEM private key (" + openssl_reason(code) + ")";
    }
    if (SSL_CTX_check_private_key(ctx) != 1) {
        ERR_clear_error();
        return mismatch;
    }
    return {};
}

std::string load_ca_file(ssl_ctx_st* ctx, const tls_file& ca) {
    ERR_clear_error();
    if (auto why = unreadable(ca); !why.empty()) return why;
    if (SSL_CTX_load_verify_locations(ctx, ca.path.c_str(), nullptr) != 1) {
        return named(ca) + " holds no PEM CA certificate (" + openssl_reason() + ")";
    }
    return {};
}

std::string check_cert_and_key(const tls_file& cert, const tls_file& key) {
    auto ctx = scratch_context();
    if (!ctx) return "cannot create a TLS context (" + openssl_reason() + ")";
    return load_cert_and_key(ctx.get(), cert, key);
}

std::string check_ca_file(const tls_file& ca) {
    auto ctx = scratch_context();
    if (!ctx) return "cannot create a TLS context (" + openssl_reason() + ")";
    return load_ca_file(ctx.get(), ca);
}

}  // namespace sb
