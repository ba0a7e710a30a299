#include "support/puback_cutter.hpp"

#include "support/free_port.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstddef>
#include <stdexcept>
#include <string>

namespace sb_it {
namespace {

constexpr int poll_ms = 20;  // how soon the thread sees stop_

bool send_all(int fd, const char* p, std::size_t n) {
    while (n > 0) {
        const ssize_t w = ::send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return false;
        p += w;
        n -= static_cast<std::size_t>(w);
    }
    return true;
}

// The size of the whole MQTT packet at the start of buf, or 0 while it is incomplete.
std::size_t packet_size(const std::string& buf) {
    std::size_t remaining = 0;
    for (std::size_t i = 1; i < buf.size() && i <= 4; ++i) {
        remaining |= static_cast<std::size_t>(static_cast<unsigned char>(buf[i]) & 0x7f) << (7 * (i - 1));
        if ((static_cast<unsigned char>(buf[i]) & 0x80) == 0) {
            const std::size_t total = 1 + i + remaining;
            return buf.size() >= total ? total : 0;
        }
    }
    return 0;
}

}  // namespace

puback_cutter::puback_cutter(std::uint16_t broker_port) : broker_port_(broker_port) {
    listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in addr = loopback(0);
    socklen_t len = sizeof addr;
    if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listener_, 4) != 0 || ::getsockname(listener_, reinterpret_cast<sockaddr*>(&addr), &len) != 0) {
        if (listener_ >= 0) ::close(listener_);
        throw std::runtime_error("puback_cutter: cannot listen on loopback");
    }
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { run(); });
}

puback_cutter::~puback_cutter() {
    stop_ = true;
    thread_.join();
    ::close(listener_);
}

void puback_cutter::run() {
    while (!stop_) {
        pollfd p{listener_, POLLIN, 0};
        if (::poll(&p, 1, poll_ms) <= 0) continue;
        const int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
        if (client < 0) continue;
        relay(client);
        ::close(client);
    }
}

// Until either side closes, a cut, or stop_: broker bytes go through as they come; the
// client's go through packet by packet, so a PUBACK can be held back whole.
void puback_cutter::relay(int client) {
    const int broker = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    const sockaddr_in addr = loopback(broker_port_);
    if (broker < 0 || ::connect(broker, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
        if (broker >= 0) ::close(broker);
        return;
    }
    std::string from_client;
    char buf[16384];
    bool open = true;
    while (open && !stop_) {
        pollfd fds[2] = {{client, POLLIN, 0}, {broker, POLLIN, 0}};
        if (::poll(fds, 2, poll_ms) <= 0) continue;
        if (fds[1].revents != 0) {
            const ssize_t n = ::recv(broker, buf, sizeof buf, 0);
            open = n > 0 && send_all(client, buf, static_cast<std::size_t>(n));
        }
        if (open && fds[0].revents != 0) {
            const ssize_t n = ::recv(client, buf, sizeof buf, 0);
            if (n <= 0) break;
            from_client.append(buf, static_cast<std::size_t>(n));
            for (std::size_t size; open && (size = packet_size(from_client)) > 0; from_client.erase(0, size)) {
                const bool puback = (static_cast<unsigned char>(from_client[0]) >> 4) == 4;
                if (puback && armed_.exchange(false)) {
                    ++cuts_;
                    open = false;  // swallowed: both sides are closed below
                } else {
                    open = send_all(broker, from_client.data(), size);
                }
            }
        }
    }
    ::close(broker);
}

}  // namespace sb_it
