// Issue 19, finding 1: DNS rebinding. A page whose domain an attacker re-points at the
// gateway's address is same-origin in the browser's eyes, but its requests carry the attacker's
// name in Host: the bridge answers only to its own names (421 to others), compares Origins
// exactly (scheme, host, port) and refuses state changes from foreign Origins.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/http_client.hpp"
#include "support/log_file.hpp"
#include "support/raw_ws_socket.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

class host_origin : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--allowed-host", "*.gateway.example"}; }
    std::string hp(const std::string& name) const { return name + ":" + std::to_string(port()); }
    int upgrade(const std::string& host, const std::string& origin) {
        raw_ws_socket s(port());
        return s.handshake("/ws", origin, std::chrono::milliseconds(3000), {"Host: " + host});
    }
    int get(const std::string& target, const std::string& host) {
        return http_request(port(), "GET", target, {{"Host", host}}).status;
    }
};

TEST_F(host_origin, a_rebound_name_gets_421_on_websocket_rest_metrics_and_files) {
    const std::string evil = hp("attacker.example");
    EXPECT_EQ(upgrade(evil, "http://" + evil), 421) << "a rebound page opened /ws";
    raw_ws_socket s(port());
    EXPECT_EQ(s.handshake("/ws", "", std::chrono::milliseconds(3000), {"Host: " + evil}), 421);
    EXPECT_NE(s.handshake_response().find("421 Misdirected Request\r\n"), std::string::npos) << s.handshake_response();
    EXPECT_NE(s.handshake_response().find("\r\nConnection: close\r\n"), std::string::npos) << s.handshake_response();
    for (const char* target : {"/api/sensors", "/api/stats", "/metrics", "/", "/api/health"}) {
        SCOPED_TRACE(target);
        const auto r = http_request(port(), "GET", target, {{"Host", evil}});
        EXPECT_EQ(r.status, 421) << r.body;
        EXPECT_NE(r.body.find("MISDIRECTED_REQUEST"), std::string::npos) << r.body;
    }
    EXPECT_EQ(stats().uint("/ws/connections"), 0u);
    ASSERT_TRUE(wait_until([&] { return read_whole_file(bridge_->log_path()).find("host refused") != std::string::npos; },
                           2000ms));
    EXPECT_NE(read_whole_file(bridge_->log_path()).find("host=attacker.example:"), std::string::npos);
}

TEST_F(host_origin, own_names_are_answered_and_compared_case_insensitively) {
    EXPECT_EQ(upgrade(hp("LOCALHOST"), "http://localhost:" + std::to_string(port())), 101)
        << "an upper-case Host against a lower-case Origin is the same origin";
    EXPECT_EQ(upgrade(hp("127.0.0.1"), "http://127.0.0.1:" + std::to_string(port())), 101);
    EXPECT_EQ(upgrade(hp("[::1]"), "http://[::1]:" + std::to_string(port())), 101);
    EXPECT_EQ(upgrade(hp("Hall.Gateway.Example"), "http://hall.gateway.example:" + std::to_string(port())), 101)
        << "named by --allowed-host *.gateway.example";
    EXPECT_EQ(get("/api/sensors", hp("hall.gateway.example")), 200);
    EXPECT_EQ(get("/api/sensors", hp("gateway.example")), 421) << "*.gateway.example is names under it only";
    EXPECT_EQ(get("/api/sensors", "localhost"), 200);
}

TEST_F(host_origin, origins_compare_scheme_host_and_port_exactly) {
    const std::string self = hp("127.0.0.1");
    EXPECT_EQ(upgrade(self, "https://" + self), 403) << "an https:// page on the plain-HTTP port";
    EXPECT_EQ(upgrade(self, "http://127.0.0.1"), 403) << "another port";
    EXPECT_EQ(upgrade(self, "http://" + self + "/"), 403) << "not a serialized origin";
    EXPECT_EQ(upgrade(self, "null"), 403);
}

TEST_F(host_origin, a_foreign_origin_cannot_delete_a_sensor) {
    publish("sensors/keep-me", "21.5");
    ASSERT_TRUE(wait_until([&] { return http_get(port(), "/api/sensors/keep-me").status == 200; }, 3000ms));
    const auto refused = http_request(port(), "DELETE", "/api/sensors/keep-me", {{"Origin", "http://evil.example"}});
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(http_get(port(), "/api/sensors/keep-me").status, 200) << "deleted from a foreign Origin";
    const auto own = http_request(port(), "DELETE", "/api/sensors/keep-me",
                                  {{"Origin", "http://127.0.0.1:" + std::to_string(port())}});
    EXPECT_EQ(own.status, 204) << own.body;
}

}  // namespace
}  // namespace sb_it
