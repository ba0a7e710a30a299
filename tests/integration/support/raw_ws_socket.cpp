#include "support/raw_ws_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <stdexcept>

namespace sb_it {
namespace {

using clock = std::chrono::steady_clock;

int millis_left(clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now()).count();
    return left > 0 ? static_cast<int>(left) : 0;
}

struct frame_header {
    std::uint8_t opcode = 0;
    std::size_t header_bytes = 0;
    std::uint64_t payload_bytes = 0;
};

// The header at the start of buf, or nullopt when it has not fully arrived. Server frames are
// unmasked (RFC 6455 §5.1).
std::optional<frame_header> parse_header(const std::string& buf) {
    if (buf.size() < 2) return std::nullopt;
    frame_header h;
    h.opcode = static_cast<std::uint8_t>(buf[0]) & 0x0f;
    const std::uint8_t len7 = static_cast<std::uint8_t>(buf[1]) & 0x7f;
    h.header_bytes = 2;
    if (len7 < 126) {
        h.payload_bytes = len7;
        return h;
    }
    const std::size_t ext = len7 == 126 ? 2 : 8;
    if (buf.size() < 2 + ext) return std::nullopt;
    for (std::size_t i = 0; i < ext; ++i) {
        h.payload_bytes = (h.payload_bytes << 8) | static_cast<std::uint8_t>(buf[2 + i]);
    }
    h.header_bytes = 2 + ext;
    return h;
}

}  // namespace

raw_ws_socket::raw_ws_socket(std::uint16_t port, int receive_buffer, const std::string& source_address) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) throw std::runtime_error("socket() failed");
    if (receive_buffer > 0) ::setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &receive_buffer, sizeof receive_buffer);
    if (!source_address.empty()) {
        sockaddr_in src{};
        src.sin_family = AF_INET;
        if (::inet_pton(AF_INET, source_address.c_str(), &src.sin_addr) != 1 ||
            ::bind(fd_, reinterpret_cast<sockaddr*>(&src), sizeof src) != 0) {
            ::close(fd_);
            throw std::runtime_error("raw_ws_socket: cannot bind source address " + source_address);
        }
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd_);
        throw std::runtime_error("raw_ws_socket: connect to port " + std::to_string(port) + " failed");
    }
}

raw_ws_socket::~raw_ws_socket() {
    if (fd_ >= 0) ::close(fd_);
}

bool raw_ws_socket::send_all(const std::string& bytes) {
    std::size_t sent = 0;
    while (sent < bytes.size()) {
        const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        sent += static_cast<std::size_t>(n);
    }
    return true;
}

bool raw_ws_socket::receive_some(clock::time_point deadline, bool& eof) {
    pollfd p{fd_, POLLIN, 0};
    const int ready = ::poll(&p, 1, millis_left(deadline));
    if (ready <= 0) return false;
    std::array<char, 65536> chunk{};
    const ssize_t n = ::recv(fd_, chunk.data(), chunk.size(), 0);
    if (n <= 0) {
        eof = true;
        return false;
    }
    buffer_.append(chunk.data(), static_cast<std::size_t>(n));
    return true;
}

int raw_ws_socket::handshake(const std::string& path, const std::string& origin, std::chrono::milliseconds timeout,
                             const std::vector<std::string>& extra_headers) {
    bool own_host = false;  // a "Host: ..." among extra_headers replaces the default one
    for (const auto& h : extra_headers) own_host |= h.rfind("Host:", 0) == 0;
    std::string request = "GET " + path + " HTTP/1.1\r\n";
    if (!own_host) request += "Host: 127.0.0.1\r\n";
    request += "Upgrade: websocket\r\n"
               "Connection: Upgrade\r\n"
               "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
               "Sec-WebSocket-Version: 13\r\n";
    if (!origin.empty()) request += "Origin: " + origin + "\r\n";
    for (const auto& h : extra_headers) request += h + "\r\n";
    request += "\r\n";
    if (!send_all(request)) return 0;
    return read_http_status(timeout);
}

int raw_ws_socket::read_http_status(std::chrono::milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    bool eof = false;
    std::size_t end = std::string::npos;
    while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
        if (!receive_some(deadline, eof)) return 0;
    }
    const std::size_t sp = buffer_.find(' ');
    const int status = sp < end ? std::atoi(buffer_.c_str() + sp + 1) : 0;
    response_ = buffer_.substr(0, end + 4);
    buffer_.erase(0, end + 4);  // what follows is already WebSocket frames
    return status;
}

bool raw_ws_socket::send_text(const std::string& text) { return send_frame(0x81, text); }  // FIN + text

bool raw_ws_socket::send_frame(std::uint8_t first_byte, const std::string& payload, bool masked) {
    std::string frame;
    frame.push_back(static_cast<char>(first_byte));
    const char mask_bit = masked ? static_cast<char>(0x80) : 0;
    const std::uint64_t n = payload.size();
    if (n < 126) {
        frame.push_back(static_cast<char>(mask_bit | static_cast<char>(n)));
    } else if (n <= 0xffff) {
        frame.push_back(static_cast<char>(mask_bit | 126));
        for (int shift = 8; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((n >> shift) & 0xff));
    } else {
        frame.push_back(static_cast<char>(mask_bit | 127));
        for (int shift = 56; shift >= 0; shift -= 8) frame.push_back(static_cast<char>((n >> shift) & 0xff));
    }
    if (!masked) return send_all(frame + payload);
    const std::array<char, 4> mask{0x12, 0x34, 0x56, 0x78};
    frame.append(mask.data(), mask.size());
    for (std::size_t i = 0; i < payload.size(); ++i) frame.push_back(static_cast<char>(payload[i] ^ mask[i % 4]));
    return send_all(frame);
}

std::optional<std::pair<int, std::string>> raw_ws_socket::take_frame() {
    const auto h = parse_header(buffer_);
    if (!h || buffer_.size() < h->header_bytes + h->payload_bytes) return std::nullopt;
    std::string payload = buffer_.substr(h->header_bytes, h->payload_bytes);
    buffer_.erase(0, h->header_bytes + h->payload_bytes);
    return std::make_pair(static_cast<int>(h->opcode), std::move(payload));
}

std::optional<std::pair<int, std::string>> raw_ws_socket::next_frame(std::chrono::milliseconds timeout) {
    const auto deadline = clock::now() + timeout;
    while (true) {
        if (auto f = take_frame()) return f;
        if (eof_ || !receive_some(deadline, eof_)) return std::nullopt;
    }
}

close_result raw_ws_socket::read_until_close(std::chrono::milliseconds timeout) {
    close_result result;
    const auto deadline = clock::now() + timeout;
    while (true) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
        const auto f = next_frame(left.count() > 0 ? left : std::chrono::milliseconds(0));
        if (!f) {
            result.eof = eof_;
            return result;
        }
        if (f->first == 0x8) {
            result.saw_close_frame = true;
            if (f->second.size() >= 2) {
                result.code = (static_cast<std::uint8_t>(f->second[0]) << 8) | static_cast<std::uint8_t>(f->second[1]);
                result.reason = f->second.substr(2);
            }
            return result;
        }
        ++result.data_frames;
    }
}

std::uint16_t raw_ws_socket::local_port() const {
    sockaddr_in local{};
    socklen_t len = sizeof local;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&local), &len) != 0) return 0;
    return ntohs(local.sin_port);
}

}  // namespace sb_it
