#include "support/http_client.hpp"

#include <asio/connect.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/write.hpp>

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace sb_it {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Parses status line and headers of raw; nullopt until the blank line has arrived.
std::optional<std::size_t> parse_head(const std::string& raw, http_response& out) {
    const std::size_t end = raw.find("\r\n\r\n");
    if (end == std::string::npos) return std::nullopt;
    std::size_t line_end = raw.find("\r\n");
    const std::string status_line = raw.substr(0, line_end);
    const std::size_t sp = status_line.find(' ');
    out.status = sp == std::string::npos ? 0 : std::atoi(status_line.c_str() + sp + 1);
    std::size_t pos = line_end + 2;
    while (pos < end) {
        line_end = raw.find("\r\n", pos);
        const std::string line = raw.substr(pos, line_end - pos);
        const std::size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::size_t v = colon + 1;
            while (v < line.size() && line[v] == ' ') ++v;
            out.headers[lower(line.substr(0, colon))] = line.substr(v);
        }
        pos = line_end + 2;
    }
    return end + 4;
}

// Reads until EOF, or until Content-Length bytes of body have arrived.
class exchange {
public:
    exchange(asio::io_context& io, http_response& out) : socket_(io), out_(out) {}

    void start(std::uint16_t port, std::string request) {
        request_ = std::move(request);
        const asio::ip::tcp::endpoint ep(asio::ip::make_address("127.0.0.1"), port);
        socket_.async_connect(ep, [this](const asio::error_code& ec) {
            if (ec) return finish("connect: " + ec.message());
            asio::async_write(socket_, asio::buffer(request_), [this](const asio::error_code& wec, std::size_t) {
                if (wec) return finish("write: " + wec.message());
                read_more();
            });
        });
    }

    bool done() const noexcept { return done_; }

private:
    void read_more() {
        socket_.async_read_some(asio::buffer(chunk_), [this](const asio::error_code& ec, std::size_t n) {
            raw_.append(chunk_.data(), n);
            if (complete()) return finish({});
            if (ec == asio::error::eof) return finish(out_.status ? "" : "EOF before a full response");
            if (ec) return finish("read: " + ec.message());
            read_more();
        });
    }

    bool complete() {
        http_response head;
        const auto body_at = parse_head(raw_, head);
        if (!body_at) return false;
        out_.status = head.status;
        out_.headers = head.headers;
        out_.body = raw_.substr(*body_at);
        const std::string length = out_.header("content-length");
        return !length.empty() && out_.body.size() >= std::stoul(length);
    }

    void finish(std::string error) {
        out_.error = std::move(error);
        done_ = true;
        asio::error_code ignored;
        socket_.close(ignored);
    }

    asio::ip::tcp::socket socket_;
    http_response& out_;
    std::string request_;
    std::string raw_;
    std::array<char, 16384> chunk_{};
    bool done_ = false;
};

}  // namespace

std::string http_response::header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string{} : it->second;
}

http_response http_request(std::uint16_t port, const std::string& method, const std::string& target,
                           const header_list& extra_headers, std::chrono::milliseconds timeout) {
    bool own_host = false;  // a Host among extra_headers replaces the default one
    for (const auto& h : extra_headers) own_host |= h.first == "Host";
    std::string request = method + " " + target + " HTTP/1.1\r\n";
    if (!own_host) request += "Host: 127.0.0.1:" + std::to_string(port) + "\r\n";
    request += "Connection: close\r\n";
    for (const auto& [name, value] : extra_headers) request += name + ": " + value + "\r\n";
    request += "\r\n";

    http_response out;
    asio::io_context io;
    exchange ex(io, out);
    ex.start(port, std::move(request));
    io.run_for(timeout);
    if (!ex.done()) {
        out.status = 0;
        out.error = "timeout after " + std::to_string(timeout.count()) + " ms";
    }
    if (method == "HEAD" && out.status != 0) out.body.clear();
    return out;
}

}  // namespace sb_it
