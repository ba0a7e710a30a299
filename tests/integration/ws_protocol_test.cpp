// WebSocket protocol (docs/PROTOCOL.md §3): welcome frame, ping/pong, errors for bad client frames
// without dropping the connection, and 1009 for frames over 4 KiB.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/raw_ws_socket.hpp"

namespace sb_it {
namespace {

class ws_protocol : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--ping-interval", "15"}; }

    // A ping with id gets a pong: proof the connection is still open and served.
    void expect_still_served(ws_test_client& c, const std::string& id) {
        c.send(R"({"type":"ping","id":")" + id + R"("})");
        const auto pong = c.next_frame(2000ms);
        ASSERT_TRUE(pong) << "no pong for ping " << id << " (connection open: " << c.is_open() << ")";
        EXPECT_EQ(json_doc(*pong).str("/type"), "pong") << *pong;
    }
};

TEST_F(ws_protocol, connected_welcome_frame_carries_version_and_heartbeat) {
    ws_test_client c;
    ASSERT_TRUE(c.connect(port()));
    EXPECT_EQ(c.handshake_status(), 101);
    const auto first = c.next_frame(2000ms);
    ASSERT_TRUE(first) << "no frame after connect";
    const json_doc d(*first);
    ASSERT_TRUE(d.ok()) << *first;
    EXPECT_EQ(d.str("/type"), "connected");
    EXPECT_EQ(d.str("/payload/version"), "0.1.0");
    EXPECT_EQ(d.uint("/payload/heartbeatMs"), 15000u) << "heartbeatMs must follow --ping-interval";
}

TEST_F(ws_protocol, ping_gets_pong) {
    auto c = connect_client();
    c->send(R"({"type":"ping"})");
    const auto pong = c->next_frame(2000ms);
    ASSERT_TRUE(pong);
    EXPECT_EQ(json_doc(*pong).str("/type"), "pong") << *pong;
}

struct bad_frame_case {
    const char* name;
    std::string frame;
    const char* code;
    const char* id;  // expected echoed id, "" for none
};

TEST_F(ws_protocol, bad_client_frames_get_an_error_and_the_connection_stays_open) {
    const std::vector<bad_frame_case> cases{
        {"truncated JSON", R"({"type":"subscribe",)", "BAD_JSON", ""},
        {"not JSON at all", "hello", "BAD_JSON", ""},
        {"JSON but not an object", "[1,2,3]", "BAD_JSON", ""},
        {"unknown type", R"({"type":"publish","id":"corr-unknown-7"})", "UNKNOWN_TYPE", "corr-unknown-7"},
        {"room with a tab", R"({"type":"subscribe","id":"corr-room-1","payload":{"room":"sensor:a\tb"}})",
         "BAD_ROOM", "corr-room-1"},
        {"room without the sensor: scheme", R"({"type":"subscribe","payload":{"room":"foo"}})", "BAD_ROOM", ""},
        {"empty sensor room", R"({"type":"subscribe","payload":{"room":"sensor:"}})", "BAD_ROOM", ""},
        {"unsubscribe from a bad room", R"({"type":"unsubscribe","id":"u-9","payload":{"room":"foo"}})",
         "BAD_ROOM", "u-9"},
    };
    auto c = connect_client();
    int n = 0;
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.name);
        c->send(tc.frame);
        const auto reply = c->next_frame(2000ms);
        ASSERT_TRUE(reply) << "no reply to " << tc.frame;
        const json_doc d(*reply);
        EXPECT_EQ(d.str("/type"), "error") << *reply;
        EXPECT_EQ(d.str("/payload/code"), tc.code) << *reply;
        EXPECT_TRUE(d.str("/payload/message").has_value()) << *reply;
        if (*tc.id) {
            EXPECT_EQ(d.str("/id"), tc.id) << *reply;
        }
        expect_still_served(*c, "after-" + std::to_string(++n));
    }
    EXPECT_TRUE(c->is_open());
}

TEST_F(ws_protocol, frame_of_exactly_4096_bytes_is_accepted) {
    auto c = connect_client();
    std::string frame = R"({"type":"ping","id":"edge","pad":")";
    frame += std::string(4096 - frame.size() - 2, 'x') + "\"}";
    ASSERT_EQ(frame.size(), 4096u);
    c->send(frame);
    const auto pong = c->next_frame(2000ms);
    ASSERT_TRUE(pong) << "no reply to a 4096-byte frame; close code " << c->close_code();
    EXPECT_EQ(json_doc(*pong).str("/type"), "pong") << *pong;
}

TEST_F(ws_protocol, frame_over_4096_bytes_closes_with_1009) {
    auto c = connect_client();
    std::string frame = R"({"type":"ping","pad":")" + std::string(5000, 'x') + "\"}";
    c->send(frame);
    ASSERT_TRUE(c->wait_closed(3000ms)) << "connection not closed after a " << frame.size() << "-byte frame";
    EXPECT_EQ(c->close_code(), 1009);
}

class ws_limits : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--max-subscriptions", "2", "--max-connections", "2"};
    }
};

TEST_F(ws_limits, subscriptions_over_the_limit_get_an_error_and_the_connection_stays_open) {
    auto c = connect_client();
    subscribe(*c, "sensor:lim-1");
    subscribe(*c, "sensor:lim-2");
    c->send(subscribe_json("sensor:lim-3", "third"));
    const auto reply = c->next_frame(2000ms);
    ASSERT_TRUE(reply);
    const json_doc d(*reply);
    EXPECT_EQ(d.str("/type"), "error") << *reply;
    EXPECT_EQ(d.str("/payload/code"), "TOO_MANY_SUBSCRIPTIONS") << *reply;
    EXPECT_EQ(d.str("/id"), "third") << *reply;

    publish("sensors/lim-2", "2");
    EXPECT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "lim-2"); }, 2000ms))
        << "the connection no longer delivers after the refused subscribe";
}

TEST_F(ws_limits, connections_over_the_limit_are_refused) {
    auto first = connect_client();
    auto second = connect_client();
    ws_test_client third;
    EXPECT_FALSE(third.connect(port())) << "a third connection was accepted with --max-connections 2";
    EXPECT_EQ(third.handshake_status(), 503);

    first->close();
    ASSERT_TRUE(first->wait_closed(2000ms));
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/connections") == 1u; }, 2000ms)) << stats().text();
    ws_test_client again;
    EXPECT_TRUE(again.connect(port())) << "a freed slot is not reusable, status " << again.handshake_status();
}

// A peer that never answers protocol pings must be dropped, while a peer that answers
// (websocketpp does by itself) stays.
class ws_heartbeat_base : public bridge_test {
protected:
    virtual int heartbeat_ms() const = 0;
    virtual int pong_timeout_ms() const = 0;

    std::vector<std::string> bridge_args() const override {
        return {"--ping-interval", std::to_string(heartbeat_ms() / 1000.0), "--pong-timeout-ms",
                std::to_string(pong_timeout_ms())};
    }

    void expect_silent_peer_dropped() {
        raw_ws_socket silent(port());
        ASSERT_EQ(silent.handshake(), 101);
        auto answering = connect_client();

        std::optional<std::pair<int, std::string>> frame;
        while ((frame = silent.next_frame(2000ms)) && frame->first != 0x9) {
        }
        ASSERT_TRUE(frame) << "no protocol ping within 2 s with a ping interval of " << heartbeat_ms() << " ms";

        const close_result end = silent.read_until_close(3000ms);
        EXPECT_TRUE(end.saw_close_frame || end.eof) << "a peer that never sends pong is still connected";
        EXPECT_TRUE(wait_until([&] { return stats().uint("/ws/connections") == 1u; }, 3000ms)) << stats().text();

        EXPECT_TRUE(answering->is_open()) << "a peer that answers pings was dropped, code " << answering->close_code();
        answering->send(R"({"type":"ping"})");
        EXPECT_TRUE(answering->wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 2000ms));
    }
};

class ws_heartbeat : public ws_heartbeat_base {
protected:
    int heartbeat_ms() const override { return 300; }
    int pong_timeout_ms() const override { return 150; }
};

TEST_F(ws_heartbeat, peer_that_never_answers_pings_is_dropped_and_others_stay) { expect_silent_peer_dropped(); }

// A half-open peer: it completed the handshake, then reads nothing and answers nothing (a
// machine that vanished). It must be gone within one ping interval plus the pong timeout.
class ws_dead_peer : public ws_heartbeat_base {
protected:
    int heartbeat_ms() const override { return 300; }
    int pong_timeout_ms() const override { return 200; }
};

TEST_F(ws_dead_peer, half_open_peer_is_reaped_within_interval_plus_pong_timeout) {
    raw_ws_socket dead(port());
    ASSERT_EQ(dead.handshake(), 101);
    const auto opened = steady::now();
    ASSERT_EQ(stats().uint("/ws/connections"), 1u);
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/connections") == 0u; }, 5000ms))
        << "the dead peer is still connected: " << stats().text();
    const auto reaped = std::chrono::duration_cast<ms>(steady::now() - opened).count();
    // The bound, plus scheduling slack and the 10 ms polling of /api/stats.
    EXPECT_LE(reaped, heartbeat_ms() + pong_timeout_ms() + 150) << "reaped after " << reaped << " ms";
}

}  // namespace
}  // namespace sb_it
