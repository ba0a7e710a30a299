#include "support/peer_socket.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace sb_it {
namespace {

// An owned descriptor, closed on scope exit.
struct fd_holder {
    int fd = -1;
    explicit fd_holder(int f) : fd(f) {}
    ~fd_holder() {
        if (fd >= 0) ::close(fd);
    }
    fd_holder(const fd_holder&) = delete;
    fd_holder& operator=(const fd_holder&) = delete;
};

bool peer_port_is(int fd, std::uint16_t port) {
    sockaddr_in peer{};
    socklen_t len = sizeof peer;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &len) != 0 || peer.sin_family != AF_INET) return false;
    return ntohs(peer.sin_port) == port;
}

}  // namespace

std::optional<peer_socket_options> server_socket_options(pid_t server, std::uint16_t client_port) {
    const fd_holder pidfd(static_cast<int>(::syscall(SYS_pidfd_open, server, 0)));
    if (pidfd.fd < 0) return std::nullopt;
    std::error_code ec;
    const std::filesystem::path fds = "/proc/" + std::to_string(server) + "/fd";
    for (const auto& entry : std::filesystem::directory_iterator(fds, ec)) {
        std::error_code link_ec;
        if (std::filesystem::read_symlink(entry.path(), link_ec).string().rfind("socket:", 0) != 0) continue;
        const int target = std::stoi(entry.path().filename().string());
        const fd_holder copy(static_cast<int>(::syscall(SYS_pidfd_getfd, pidfd.fd, target, 0)));
        if (copy.fd < 0 || !peer_port_is(copy.fd, client_port)) continue;
        int nodelay = 0;
        socklen_t len = sizeof nodelay;
        if (::getsockopt(copy.fd, IPPROTO_TCP, TCP_NODELAY, &nodelay, &len) != 0) return std::nullopt;
        return peer_socket_options{nodelay != 0};
    }
    return std::nullopt;
}

}  // namespace sb_it
