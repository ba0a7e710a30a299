// Cross-site WebSocket hijacking: browsers send Origin, and only the bridge's own origin (or
// an --allowed-origin) may open /ws.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

class ws_origin : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--allowed-origin", "http://dashboard.example"};
    }
    std::string self() const { return "http://127.0.0.1:" + std::to_string(port()); }
};

TEST_F(ws_origin, foreign_origins_are_refused_with_403) {
    const std::vector<std::string> foreign{
        "http://evil.example",
        "null",
        self() + ".evil.example",
        "http://127.0.0.1:1",
        "http://dashboard.example.evil.example",
    };
    for (const auto& origin : foreign) {
        SCOPED_TRACE(origin);
        ws_test_client c;
        EXPECT_FALSE(c.connect(port(), "/ws", origin)) << "handshake accepted";
        EXPECT_EQ(c.handshake_status(), 403);
    }
    EXPECT_EQ(stats().uint("/ws/connections"), 0u);
}

TEST_F(ws_origin, no_origin_same_origin_and_allowed_origin_are_accepted) {
    for (const std::string& origin : {std::string{}, self(), std::string("http://dashboard.example")}) {
        SCOPED_TRACE(origin.empty() ? "<no Origin>" : origin);
        ws_test_client c;
        ASSERT_TRUE(c.connect(port(), "/ws", origin)) << "status " << c.handshake_status();
        const auto welcome = c.next_frame(2000ms);
        ASSERT_TRUE(welcome);
        EXPECT_TRUE(is_frame_type(*welcome, "connected")) << *welcome;
    }
}

TEST_F(ws_origin, raw_upgrade_with_a_foreign_origin_gets_403) {
    raw_ws_socket evil(port());
    EXPECT_EQ(evil.handshake("/ws", "http://evil.example"), 403);
    raw_ws_socket plain(port());
    EXPECT_EQ(plain.handshake("/ws"), 101);
}

TEST_F(ws_origin, upgrade_on_another_path_is_refused) {
    ws_test_client c;
    EXPECT_FALSE(c.connect(port(), "/not-ws"));
    EXPECT_EQ(c.handshake_status(), 404);
}

}  // namespace
}  // namespace sb_it
