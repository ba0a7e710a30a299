#include "ingest/tls_probe.hpp"

#include <asio/connect.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl/stream.hpp>
#include <asio/steady_timer.hpp>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <stdexcept>

#include "core/tls_files.hpp"

namespace sb {
namespace {

constexpr std::chrono::seconds probe_timeout{5};
// After the handshake: how long to wait for the broker to refuse the client certificate.
constexpr std::chrono::milliseconds verdict_wait{1000};

// "CN = broker.lan; names: DNS:broker.lan, IP:10.0.0.2" for the log line.
std::string describe(X509* cert) {
    std::string text;
    if (BIO* bio = BIO_new(BIO_s_mem())) {
        X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_ONELINE & ~ASN1_STRFLGS_ESC_MSB);
        char* data = nullptr;
        const long n = BIO_get_mem_data(bio, &data);
        if (n > 0) text.assign(data, static_cast<std::size_t>(n));
        BIO_free(bio);
    }
    auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
    std::string alt;
    for (int i = 0; names && i < sk_GENERAL_NAME_num(names); ++i) {
        const GENERAL_NAME* g = sk_GENERAL_NAME_value(names, i);
        if (g->type == GEN_DNS) {
            const auto* s = g->d.dNSName;
            alt += (alt.empty() ? "DNS:" : ", DNS:") + std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                                                    static_cast<std::size_t>(ASN1_STRING_length(s)));
        } else if (g->type == GEN_IPADD) {
            asio::ip::address a;
            const auto* s = g->d.iPAddress;
            const auto* bytes = ASN1_STRING_get0_data(s);
            if (ASN1_STRING_length(s) == 4) {
                asio::ip::address_v4::bytes_type b;
                std::copy(bytes, bytes + 4, b.begin());
                a = asio::ip::address_v4(b);
            } else if (ASN1_STRING_length(s) == 16) {
                asio::ip::address_v6::bytes_type b;
                std::copy(bytes, bytes + 16, b.begin());
                a = asio::ip::address_v6(b);
            }
            alt += (alt.empty() ? "IP:" : ", IP:") + a.to_string();
        }
    }
    GENERAL_NAMES_free(names);
    return text + "; names: " + (alt.empty() ? "none" : alt);
}

}  // namespace

// One probe: everything its handlers touch, kept alive by them.
struct tls_probe::attempt {
    attempt(asio::io_context& io, asio::ssl::context& ctx) : resolver(io), stream(io, ctx), timer(io) {}

    void finish(const std::string& reason) {
        if (finished) return;
        finished = true;
        asio::error_code ignored;
        timer.cancel();
        resolver.cancel();
        stream.lowest_layer().close(ignored);
        if (auto d = std::move(done)) d(reason);
    }

    asio::ip::tcp::resolver resolver;
    asio::ssl::stream<asio::ip::tcp::socket> stream;
    asio::steady_timer timer;
    result_handler done;
    std::string verify_error;  // the first certificate check that failed
    std::string peer;          // the broker's certificate, described
    std::array<char, 256> buf{};
    bool finished = false;
};

tls_probe::tls_probe(asio::io_context& io, const mqtt_tls_options& tls)
    : io_(io), ctx_(asio::ssl::context::tls_client) {
    std::string why;
    if (tls.ca_file.empty()) {
        asio::error_code ec;
        ctx_.set_default_verify_paths(ec);
    } else {
        why = load_ca_file(ctx_.native_handle(), {"--mqtt-ca", tls.ca_file});
    }
    if (why.empty() && !tls.cert_file.empty()) {
        why = load_cert_and_key(ctx_.native_handle(), {"--mqtt-cert", tls.cert_file}, {"--mqtt-key", tls.key_file});
    }
    if (!why.empty()) throw std::runtime_error(why);
}

tls_probe::~tls_probe() { cancel(); }

void tls_probe::cancel() {
    if (!current_) return;
    current_->done = nullptr;
    current_->finish({});
    current_.reset();
}

bool tls_probe::start(const broker_address& broker, result_handler done) {
    if (current_ && !current_->finished) return false;
    auto a = std::make_shared<attempt>(io_, ctx_);
    current_ = a;
    a->done = std::move(done);
    // Host-name rule as Paho's: the URL's host must be a DNS name or IP address in the certificate.
    SSL* ssl = a->stream.native_handle();
    asio::error_code not_ip;
    asio::ip::make_address(broker.host, not_ip);
    if (not_ip) {
        SSL_set_tlsext_host_name(ssl, broker.host.c_str());
        SSL_set1_host(ssl, broker.host.c_str());
    } else {
        X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), broker.host.c_str());
    }
    a->stream.set_verify_mode(asio::ssl::verify_peer);
    attempt* raw = a.get();  // the stream holding this callback lives in the attempt
    a->stream.set_verify_callback([raw](bool preverified, asio::ssl::verify_context& vc) {
        X509_STORE_CTX* sc = vc.native_handle();
        if (X509_STORE_CTX_get_error_depth(sc) == 0 && raw->peer.empty()) {
            if (X509* cert = X509_STORE_CTX_get_current_cert(sc)) raw->peer = describe(cert);
        }
        if (!preverified && raw->verify_error.empty()) {
            raw->verify_error = X509_verify_cert_error_string(X509_STORE_CTX_get_error(sc));
        }
        return preverified;
    });
    a->timer.expires_after(probe_timeout);
    a->timer.async_wait([a](const asio::error_code& ec) {
        if (!ec) a->finish("no TLS handshake within " + std::to_string(probe_timeout.count()) + " s");
    });
    a->resolver.async_resolve(broker.host, broker.port, [a](const asio::error_code& ec, const auto& results) {
        if (a->finished) return;
        if (ec) return a->finish("cannot resolve the broker's host: " + ec.message());
        asio::async_connect(a->stream.lowest_layer(), results, [a](const asio::error_code& ec, const auto&) {
            if (a->finished) return;
            if (ec) return a->finish("cannot connect: " + ec.message());
            a->stream.async_handshake(asio::ssl::stream_base::client, [a](const asio::error_code& ec) {
                if (a->finished) return;
                if (ec) {
                    if (a->verify_error.empty()) return a->finish("TLS handshake failed: " + ec.message());
                    return a->finish("the broker's certificate is refused: " + a->verify_error +
                                     (a->peer.empty() ? "" : " (certificate " + a->peer + ")"));
                }
                // Trusted and named right. A broker that wants a client certificate may still
                // refuse it now: give it a moment to say so.
                a->timer.expires_after(verdict_wait);
                a->timer.async_wait([a](const asio::error_code& ec) {
                    if (!ec) a->finish({});
                });
                a->stream.async_read_some(asio::buffer(a->buf), [a](const asio::error_code& ec, std::size_t) {
                    if (a->finished) return;
                    a->finish(ec ? "the broker ended the TLS session after the handshake: " + ec.message() : "");
                });
            });
        });
    });
    return true;
}

}  // namespace sb
