#pragma once
// The server's end of one of our TCP connections, read from the server process itself: its
// socket is copied into the test with pidfd_getfd(2) (Linux 5.6+, the test is the parent or
// root) and asked for its options. Shows what a socket option really is, not what the server
// code meant to set.
#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace sb_it {

struct peer_socket_options {
    bool tcp_nodelay = false;
};

// The options of the socket in process `server` whose peer is 127.0.0.1:client_port, or
// nullopt when there is none (or the kernel refuses to lend it).
std::optional<peer_socket_options> server_socket_options(pid_t server, std::uint16_t client_port);

}  // namespace sb_it
