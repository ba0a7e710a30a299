// The bridge's accepted sockets, read from the bridge process itself (support/peer_socket):
// Nagle's algorithm is off on every WebSocket and HTTP connection. With it on, a frame written
// while the previous one is unacknowledged waits for the peer's (delayed) ACK: the benchmark
// measured a 5-13 ms median at 3 000-10 000 readings/s that way (docs/PERFORMANCE.md).
#include <gtest/gtest.h>

#include <optional>

#include "support/bridge_test.hpp"
#include "support/peer_socket.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

using socket_options = bridge_test;

TEST_F(socket_options, websocket_connections_have_nagle_off) {
    raw_ws_socket ws(port());
    ASSERT_EQ(ws.handshake(), 101);
    const auto opts = server_socket_options(bridge_->pid(), ws.local_port());
    ASSERT_TRUE(opts) << "the bridge holds no socket connected to port " << ws.local_port();
    EXPECT_TRUE(opts->tcp_nodelay);
}

TEST_F(socket_options, http_connections_have_nagle_off) {
    raw_ws_socket http(port());
    // Half a request: the bridge has accepted the connection and waits for the rest, so its
    // socket is there to look at (a whole request would be answered and closed).
    ASSERT_TRUE(http.send_raw("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));
    std::optional<peer_socket_options> opts;
    EXPECT_TRUE(wait_until([&] { return (opts = server_socket_options(bridge_->pid(), http.local_port())).has_value(); },
                           2000ms))
        << "the bridge holds no socket connected to port " << http.local_port();
    ASSERT_TRUE(opts);
    EXPECT_TRUE(opts->tcp_nodelay);
}

}  // namespace
}  // namespace sb_it
