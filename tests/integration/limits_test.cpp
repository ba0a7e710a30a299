// Limits (docs/SECURITY.md): connections per source address, client messages per second,
// idle connections, slow or oversized HTTP requests.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/log_file.hpp"
#include "support/raw_ws_socket.hpp"
#include "support/temp_dir.hpp"

namespace sb_it {
namespace {

class per_ip_limit : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--max-connections-per-ip", "2"}; }
};

// Linux routes all of 127/8 to lo, so each 127.0.0.N is a distinct source address.
TEST_F(per_ip_limit, a_third_connection_from_one_address_gets_429_others_still_connect) {
    std::vector<std::unique_ptr<raw_ws_socket>> two;
    for (int i = 0; i < 2; ++i) {
        two.push_back(std::make_unique<raw_ws_socket>(port(), 0, "127.0.0.2"));
        ASSERT_EQ(two.back()->handshake(), 101);
    }
    raw_ws_socket third(port(), 0, "127.0.0.2");
    EXPECT_EQ(third.handshake(), 429);
    raw_ws_socket other(port(), 0, "127.0.0.3");
    EXPECT_EQ(other.handshake(), 101);
    auto local = connect_client();  // 127.0.0.1
    EXPECT_TRUE(local->is_open());

    two.pop_back();  // closing one frees its place
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ws/connections") == 3u; }, 3000ms));
    raw_ws_socket again(port(), 0, "127.0.0.2");
    EXPECT_EQ(again.handshake(), 101);
    ASSERT_TRUE(wait_until(
        [&] { return read_whole_file(bridge_->log_path()).find("too many from one address") != std::string::npos; },
        2000ms));
}

class message_rate : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--max-message-rate", "1", "--max-message-burst", "10"};
    }
};

TEST_F(message_rate, a_flood_gets_one_rate_limited_error_then_close_1008) {
    raw_ws_socket c(port());
    ASSERT_EQ(c.handshake(), 101);
    // 60: even if a loaded machine spreads them over a few seconds (a token a second), a run
    // of 10 refused ones in a row remains.
    for (int i = 0; i < 60; ++i) ASSERT_TRUE(c.send_text(R"({"type":"ping"})"));
    int pongs = 0;
    int limited = 0;
    close_result closed;
    const auto deadline = steady::now() + 5s;
    while (steady::now() < deadline) {
        auto f = c.next_frame(std::chrono::duration_cast<ms>(deadline - steady::now()));
        if (!f) break;
        if (f->first == 0x8) {
            closed.saw_close_frame = true;
            closed.code = (static_cast<std::uint8_t>(f->second[0]) << 8) | static_cast<std::uint8_t>(f->second[1]);
            closed.reason = f->second.substr(2);
            break;
        }
        if (is_frame_type(f->second, "pong")) ++pongs;
        if (json_doc(f->second).str("/payload/code") == "RATE_LIMITED") ++limited;
    }
    EXPECT_GE(pongs, 10);  // the burst, plus what refilled meanwhile (1 a second)
    EXPECT_LE(pongs, 14);
    EXPECT_GE(limited, 1);  // once per run of refused messages
    EXPECT_LE(limited, 1 + (pongs - 10));
    ASSERT_TRUE(closed.saw_close_frame);
    EXPECT_EQ(closed.code, 1008);
    EXPECT_EQ(closed.reason, "message rate limit exceeded");
    EXPECT_GE(stats().uint("/ws/rateLimited").value_or(0), 10u);

    // Another connection is not affected.
    auto other = connect_client();
    other->send(R"({"type":"ping"})");
    const auto pong = other->next_frame(2000ms);
    EXPECT_TRUE(pong && is_frame_type(*pong, "pong"));
}

// Idle past 1.2 s, long before the first protocol ping could be missed (heartbeat 30 s, pong
// timeout 10 s): a silent peer can only be closed by the idle timeout.
class idle_timeout : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--idle-timeout-ms", "1200"}; }
};

TEST_F(idle_timeout, a_silent_peer_is_closed_and_one_sending_messages_stays) {
    auto talking = connect_client();
    raw_ws_socket silent(port());
    ASSERT_EQ(silent.handshake(), 101);
    const auto start = steady::now();
    // The talking client pings every ~300 ms (the dashboard pings too) while the silent one waits.
    close_result r;
    auto closed_at = steady::now();
    while (steady::now() - start < 3000ms) {
        talking->send(R"({"type":"ping"})");
        ASSERT_TRUE(talking->wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 2000ms));
        if (!r.saw_close_frame && !r.eof) {
            r = silent.read_until_close(300ms);
            closed_at = steady::now();
        } else {
            ASSERT_FALSE(wait_until([&] { return !talking->is_open(); }, 300ms)) << "closed " << talking->close_reason();
        }
    }
    ASSERT_TRUE(r.saw_close_frame);
    EXPECT_EQ(r.code, 1001);
    EXPECT_EQ(r.reason, "idle timeout");
    EXPECT_GE(closed_at - start, 1100ms);
    EXPECT_TRUE(talking->is_open());
    // An idle timeout not longer than the heartbeat is allowed, with a warning.
    EXPECT_NE(read_whole_file(bridge_->log_path()).find("idle timeout not longer than the heartbeat"), std::string::npos);
}

class idle_timeout_with_pings : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--heartbeat-ms", "500", "--pong-timeout-ms", "400", "--idle-timeout-ms", "1000"};
    }
};

TEST_F(idle_timeout_with_pings, answering_protocol_pings_keeps_a_quiet_client) {
    auto quiet = connect_client();  // sends nothing; websocketpp answers the pings
    ASSERT_FALSE(wait_until([&] { return !quiet->is_open(); }, 3000ms)) << "closed " << quiet->close_reason();
    EXPECT_TRUE(quiet->is_open());
}

class http_limits : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override { return {"--handshake-timeout-ms", "500"}; }
};

TEST_F(http_limits, a_request_that_never_ends_is_dropped_after_the_handshake_timeout) {
    raw_ws_socket slow(port());
    ASSERT_TRUE(slow.send_raw("GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"));  // no blank line, ever
    const auto start = steady::now();
    const close_result r = slow.read_until_close(4000ms);
    EXPECT_TRUE(r.eof);
    EXPECT_LT(steady::now() - start, 3000ms);
    EXPECT_EQ(get("/api/health").status, 200);  // the server is fine
}

TEST_F(http_limits, an_oversized_body_gets_413_and_oversized_headers_431) {
    raw_ws_socket body(port());
    ASSERT_TRUE(body.send_raw("POST /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 1000000\r\n\r\n"));
    EXPECT_EQ(body.read_http_status(), 413);

    raw_ws_socket headers(port());
    std::string request = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    for (int i = 0; i < 200; ++i) request += "X-Filler-" + std::to_string(i) + ": " + std::string(100, 'x') + "\r\n";
    request += "\r\n";
    headers.send_raw(request);  // the server may stop reading half-way
    EXPECT_EQ(headers.read_http_status(), 431);
    EXPECT_EQ(get("/api/health").status, 200);
}

}  // namespace
}  // namespace sb_it
