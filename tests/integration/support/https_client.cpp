#include "support/https_client.hpp"

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/ssl.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>

namespace sb_it {
namespace {

// Status line, headers (names lower-cased) and body of a whole response read until EOF.
void parse_response(const std::string& raw, http_response& out) {
    const std::size_t head_end = raw.find("\r\n\r\n");
    if (head_end == std::string::npos) {
        out.error = "incomplete response";
        return;
    }
    const std::size_t sp = raw.find(' ');
    out.status = sp < head_end ? std::atoi(raw.c_str() + sp + 1) : 0;
    for (std::size_t pos = raw.find("\r\n") + 2; pos < head_end;) {
        const std::size_t eol = raw.find("\r\n", pos);
        const std::string line = raw.substr(pos, eol - pos);
        if (const auto colon = line.find(':'); colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            std::transform(name.begin(), name.end(), name.begin(),
                           [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
            out.headers[name] = line.substr(line.find_first_not_of(' ', colon + 1));
        }
        pos = eol + 2;
    }
    out.body = raw.substr(head_end + 4);
}

class tls_exchange {
public:
    tls_exchange(asio::io_context& io, asio::ssl::context& ctx, http_response& out)
        : stream_(io, ctx), out_(out) {}

    void start(std::uint16_t port, const std::string& host, std::string request) {
        request_ = std::move(request);
        SSL_set_tlsext_host_name(stream_.native_handle(), host.c_str());
        stream_.set_verify_mode(asio::ssl::verify_peer);
        stream_.set_verify_callback(asio::ssl::host_name_verification(host));
        const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
        stream_.lowest_layer().async_connect(ep, [this](const asio::error_code& ec) {
            if (ec) return finish("connect: " + ec.message());
            stream_.async_handshake(asio::ssl::stream_base::client, [this](const asio::error_code& hec) {
                if (hec) return finish("tls handshake: " + hec.message());
                asio::async_write(stream_, asio::buffer(request_), [this](const asio::error_code& wec, std::size_t) {
                    if (wec) return finish("write: " + wec.message());
                    read_more();
                });
            });
        });
    }

    bool done() const noexcept { return done_; }

private:
    void read_more() {
        stream_.async_read_some(asio::buffer(chunk_), [this](const asio::error_code& ec, std::size_t n) {
            raw_.append(chunk_.data(), n);
            // Connection: close: the whole response is in once the server ends the stream
            // (with a TLS close_notify or, as websocketpp does, by closing the socket).
            if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
                parse_response(raw_, out_);
                return finish(out_.error);
            }
            if (ec) return finish("read: " + ec.message());
            read_more();
        });
    }

    void finish(std::string error) {
        out_.error = std::move(error);
        if (!out_.error.empty()) out_.status = 0;
        done_ = true;
        asio::error_code ignored;
        stream_.lowest_layer().close(ignored);
    }

    asio::ssl::stream<asio::ip::tcp::socket> stream_;
    http_response& out_;
    std::string request_;
    std::string raw_;
    std::array<char, 16384> chunk_{};
    bool done_ = false;
};

}  // namespace

http_response https_get(std::uint16_t port, const std::string& target, const std::filesystem::path& ca,
                        const std::string& host, const tls_offer& offer, std::chrono::milliseconds timeout) {
    http_response out;
    asio::ssl::context ctx(asio::ssl::context::tls_client);
    if (offer.max_version != 0) {
        // Old versions need OpenSSL's lowest security level to be offered at all.
        SSL_CTX_set_security_level(ctx.native_handle(), 0);
        SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_VERSION);
        SSL_CTX_set_max_proto_version(ctx.native_handle(), offer.max_version);
    }
    if (!offer.tls12_ciphers.empty()) SSL_CTX_set_cipher_list(ctx.native_handle(), offer.tls12_ciphers.c_str());
    asio::error_code ec;
    ctx.load_verify_file(ca.string(), ec);
    if (ec) {
        out.error = "cannot load CA " + ca.string() + ": " + ec.message();
        return out;
    }
    asio::io_context io;
    tls_exchange ex(io, ctx, out);
    ex.start(port, host,
             "GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                 "\r\nConnection: close\r\n\r\n");
    io.run_for(timeout);
    if (!ex.done()) {
        out.status = 0;
        out.error = "timeout after " + std::to_string(timeout.count()) + " ms";
    }
    return out;
}

}  // namespace sb_it
