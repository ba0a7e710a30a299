#pragma once
// Loopback ports for the servers a test starts.
#include <netinet/in.h>

#include <chrono>
#include <cstdint>

namespace sb_it {

// A port that was free a moment ago: bound on 127.0.0.1:0, read back, closed. The caller retries
// when someone else takes it first.
std::uint16_t pick_free_port();

// 127.0.0.1:port, for bind and connect.
sockaddr_in loopback(std::uint16_t port);

// Whether something accepts TCP connections on 127.0.0.1:port (one attempt).
bool accepts_tcp(std::uint16_t port);

}  // namespace sb_it
