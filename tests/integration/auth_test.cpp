// Authentication (docs/SECURITY.md): with --token-file, /ws, /api (but /api/health) and
// /metrics need a token, from an Authorization header, a bearer.<token> subprotocol, the query
// string or an auth message; refused tokens get 401 or close 1008; a token's rooms are enforced.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <csignal>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "schema_set.hpp"
#include "support/auth_tokens.hpp"
#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/log_file.hpp"
#include "support/temp_dir.hpp"

namespace sb_it {
namespace {

const std::string kitchen_reading = R"({"sensorId":"kitchen.temp","value":21.5,"unit":"°C"})";
const std::string garage_reading = R"({"sensorId":"garage.power","value":140})";

std::string auth_json(const std::string& token, const std::string& id = "a1") {
    return R"({"type":"auth","id":")" + id + R"(","payload":{"token":")" + token + R"("}})";
}

class auth : public bridge_test {
protected:
    void SetUp() override {
        write_file(tokens(), token_file_text());
        ::chmod(tokens().c_str(), 0600);
        bridge_test::SetUp();
    }
    std::vector<std::string> bridge_args() const override {
        return {"--token-file", tokens().string(), "--auth-timeout-ms", "1000"};
    }
    std::filesystem::path tokens() const { return dir_ / "tokens"; }

    http_response get_as(const std::string& target, const std::string& token) const {
        return http_request(port(), "GET", target, {{"Authorization", "Bearer " + token}});
    }

    // A client whose `connected` frame has been read; nullptr when the handshake failed.
    std::unique_ptr<ws_test_client> open(const std::function<void(ws_test_client&)>& prepare, const std::string& path,
                                         bool expect_auth_required) {
        auto c = std::make_unique<ws_test_client>();
        prepare(*c);
        EXPECT_TRUE(c->connect(port(), path)) << "status " << c->handshake_status() << " close " << c->close_code();
        const auto welcome = c->next_frame(2000ms);
        EXPECT_TRUE(welcome && is_frame_type(*welcome, "connected")) << welcome.value_or("<none>");
        if (welcome) {
            EXPECT_EQ(json_doc(*welcome).boolean("/payload/authRequired"), expect_auth_required) << *welcome;
        }
        return c;
    }

    // The reading of sensor_id published after subscribing to room arrives.
    void expect_live_reading(ws_test_client& c, const std::string& room = "sensor:*") {
        subscribe(c, room);
        publish("sensors/kitchen/temp", kitchen_reading);
        EXPECT_TRUE(c.wait_for([](const std::string& f) { return is_reading_of(f, "kitchen.temp"); }, 3000ms));
    }

    bool wait_for_seq_as(const std::string& id) const {
        return wait_until([&] { return get_as("/api/sensors/" + id, all_rooms_token).status == 200; }, 5000ms);
    }

    // Opens a WebSocket whose handshake carries token in an Authorization header: it must be
    // closed with 1008 without a single frame.
    void expect_handshake_refused(const std::string& token) {
        ws_test_client c;
        c.set_request_header("Authorization", "Bearer " + token);
        c.connect(port());  // may already be closed when it returns
        ASSERT_TRUE(c.wait_closed(3000ms));
        EXPECT_EQ(c.close_code(), 1008);
        EXPECT_EQ(c.frames_received(), 0u);
    }
};

TEST_F(auth, rest_needs_a_token_but_health_and_the_page_do_not) {
    for (const char* target : {"/api/sensors", "/api/stats", "/api/sensors/kitchen.temp", "/metrics", "/api"}) {
        SCOPED_TRACE(target);
        const http_response r = get(target);
        EXPECT_EQ(r.status, 401);
        EXPECT_EQ(r.body, R"({"error":{"code":"UNAUTHORIZED","message":"token required"}})");
        EXPECT_EQ(r.header("www-authenticate"), R"(Bearer realm="sensor-bridge")");
    }
    const http_response health = get("/api/health");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(json_doc(health.body).boolean("/authRequired"), true);
    EXPECT_NE(get("/").body.find(index_html_marker), std::string::npos);

    EXPECT_EQ(get_as("/api/sensors", all_rooms_token).status, 200);
    EXPECT_EQ(get_as("/metrics", jwt(600)).status, 200);
    EXPECT_EQ(get("/api/stats?token=" + all_rooms_token).status, 200);
    const http_response wrong = get_as("/api/stats", "it-wrong-token-0123456789");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(json_doc(wrong.body).str("/error/message"), "invalid token");
    EXPECT_EQ(wrong.header("www-authenticate"), R"(Bearer realm="sensor-bridge", error="invalid_token")");
    EXPECT_EQ(http_request(port(), "GET", "/api/stats", {{"Authorization", "Basic aXQ6aXQ="}}).status, 401);
}

TEST_F(auth, a_token_in_the_authorization_header_opens_the_websocket) {
    auto c = open([](ws_test_client& w) { w.set_request_header("Authorization", "Bearer " + all_rooms_token); }, "/ws",
                  false);
    expect_live_reading(*c);
}

TEST_F(auth, a_bearer_subprotocol_opens_it_and_the_app_protocol_is_echoed) {
    const std::string token = jwt(600);
    auto c = open(
        [&](ws_test_client& w) {
            w.add_subprotocol("sensor-bridge");
            w.add_subprotocol("bearer." + token);
        },
        "/ws", false);
    EXPECT_EQ(c->subprotocol(), "sensor-bridge");  // not the one holding the token
    expect_live_reading(*c);
    auto alone = open([&](ws_test_client& w) { w.add_subprotocol("bearer." + token); }, "/ws", false);
    EXPECT_EQ(alone->subprotocol(), "bearer." + token);  // RFC 6455: one of those offered
}

TEST_F(auth, a_token_in_the_query_string_opens_it) {
    auto c = open([](ws_test_client&) {}, "/ws?token=" + all_rooms_token, false);
    expect_live_reading(*c);
}

TEST_F(auth, without_a_token_only_auth_and_ping_are_answered_until_auth) {
    auto c = open([](ws_test_client&) {}, "/ws", true);
    c->send(R"({"type":"ping","id":"p1"})");
    const auto pong = c->next_frame(2000ms);
    ASSERT_TRUE(pong && is_frame_type(*pong, "pong")) << pong.value_or("<none>");
    c->send(subscribe_json("sensor:*", "s1"));
    const auto refused = c->next_frame(2000ms);
    ASSERT_TRUE(refused) << "no answer";
    EXPECT_EQ(json_doc(*refused).str("/payload/code"), "UNAUTHORIZED") << *refused;
    EXPECT_EQ(json_doc(*refused).str("/id"), "s1");

    c->send(auth_json(all_rooms_token));
    const auto ok = c->next_frame(2000ms);
    ASSERT_TRUE(ok && is_frame_type(*ok, "authenticated")) << ok.value_or("<none>");
    EXPECT_EQ(json_doc(*ok).str("/id"), "a1");
    EXPECT_FALSE(json_doc(*ok).has("/payload/rooms"));
    expect_live_reading(*c);
}

TEST_F(auth, a_jwt_by_message_reports_its_rooms_and_expiry) {
    auto c = open([](ws_test_client&) {}, "/ws", true);
    const std::int64_t exp = epoch_s() + 600;
    c->send(auth_json(jwt(600, R"(,"rooms":["sensor:kitchen.*"],"sub":"it-screen")")));
    const auto ok = c->next_frame(2000ms);
    ASSERT_TRUE(ok && is_frame_type(*ok, "authenticated")) << ok.value_or("<none>");
    const json_doc doc(*ok);
    EXPECT_EQ(doc.str("/payload/rooms/0"), "sensor:kitchen.*");
    const auto expires = doc.uint("/payload/expiresAt");
    ASSERT_TRUE(expires);
    EXPECT_GE(*expires, static_cast<std::uint64_t>(exp) * 1000);
    EXPECT_LE(*expires, static_cast<std::uint64_t>(exp + 60) * 1000);
}

TEST_F(auth, refused_tokens_close_the_websocket_with_1008) {
    const std::string claims = "{\"exp\":" + std::to_string(epoch_s() + 600) + "}";
    const std::string good = jwt(600);
    std::string tampered = good;
    tampered[good.rfind('.') + 3] = tampered[good.rfind('.') + 3] == 'A' ? 'B' : 'A';
    const std::vector<std::pair<std::string, std::string>> bad{
        {"wrong static token", "it-wrong-token-0123456789"},
        {"expired", jwt(-120)},
        {"alg none", sb::base64url_encode(R"({"alg":"none","typ":"JWT"})") + "." + sb::base64url_encode(claims) + "."},
        {"alg none signed", sign_jwt(R"({"alg":"none"})", claims)},
        {"HS512 header", sign_jwt(R"({"alg":"HS512"})", claims)},
        {"tampered signature", tampered},
        {"other secret", jwt(600, "", "it-some-other-secret-0123456789abcdef")},
        {"no exp", sign_jwt(R"({"alg":"HS256"})", R"({"sub":"x"})")},
    };
    for (const auto& [what, token] : bad) {
        SCOPED_TRACE(what);
        expect_handshake_refused(token);
        EXPECT_EQ(get_as("/api/sensors", token).status, 401);
        auto c = open([](ws_test_client&) {}, "/ws", true);
        c->send(auth_json(token));
        ASSERT_TRUE(c->wait_closed(3000ms));
        EXPECT_EQ(c->close_code(), 1008);
    }
    const auto st = json_doc(get_as("/api/stats", all_rooms_token).body);
    EXPECT_GE(st.uint("/ws/authFailures").value_or(0), bad.size() * 3);
    EXPECT_EQ(st.uint("/ws/connections"), 0u);
}

TEST_F(auth, no_auth_message_within_the_deadline_closes_1008) {
    auto c = open([](ws_test_client&) {}, "/ws", true);
    const auto opened = steady::now();
    ASSERT_TRUE(c->wait_closed(4000ms));
    EXPECT_EQ(c->close_code(), 1008);
    EXPECT_EQ(c->close_reason(), "authentication timeout");
    EXPECT_GE(steady::now() - opened, 900ms);  // --auth-timeout-ms 1000
}

TEST_F(auth, a_room_outside_the_token_is_unauthorized_and_the_connection_stays) {
    for (const std::string& token : {kitchen_token, jwt(600, R"(,"rooms":["sensor:kitchen.*"])")}) {
        auto c = open([&](ws_test_client& w) { w.set_request_header("Authorization", "Bearer " + token); }, "/ws", false);
        for (const char* room : {"sensor:garage.power", "sensor:*", "sensor:kitchen*"}) {
            SCOPED_TRACE(room);
            c->send(subscribe_json(room, "r1"));
            const auto answer = c->next_frame(2000ms);
            ASSERT_TRUE(answer) << "no answer";
            EXPECT_EQ(json_doc(*answer).str("/payload/code"), "UNAUTHORIZED") << *answer;
        }
        subscribe(*c, "sensor:kitchen.*");
        publish("sensors/garage", garage_reading);
        publish("sensors/kitchen", kitchen_reading);
        std::deque<std::string> skipped;
        EXPECT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "kitchen.temp"); }, 3000ms, skipped));
        for (const auto& f : skipped) EXPECT_FALSE(is_reading_of(f, "garage.power")) << f;
        EXPECT_TRUE(c->is_open());
    }
    // REST follows the same rooms.
    ASSERT_TRUE(wait_for_seq_as("garage.power"));
    EXPECT_EQ(get_as("/api/sensors/garage.power", kitchen_token).status, 403);
    EXPECT_EQ(get_as("/api/sensors/kitchen.temp", kitchen_token).status, 200);
    const json_doc list(get_as("/api/sensors", kitchen_token).body);
    ASSERT_EQ(list.size(""), 1u) << list.text();
    EXPECT_EQ(list.str("/0/sensorId"), "kitchen.temp");
}

TEST_F(auth, a_jwt_connection_is_closed_when_the_token_expires) {
    // exp 28 s ago: still inside the 30 s leeway for about 2 s.
    auto c = open([](ws_test_client& w) { w.set_request_header("Authorization", "Bearer " + jwt(-28)); }, "/ws", false);
    ASSERT_TRUE(c->wait_closed(6000ms));
    EXPECT_EQ(c->close_code(), 1008);
    EXPECT_EQ(c->close_reason(), "token expired");
}

TEST_F(auth, sighup_reloads_the_file_and_closes_connections_of_removed_tokens) {
    auto kept = open([](ws_test_client& w) { w.set_request_header("Authorization", "Bearer " + all_rooms_token); }, "/ws",
                     false);
    auto dropped = open([](ws_test_client& w) { w.set_request_header("Authorization", "Bearer " + kitchen_token); },
                        "/ws", false);
    const std::string added = "it-added-after-reload-0123456789";
    write_file(tokens(), all_rooms_token + "\n" + added + "\n");
    bridge_->process().send_signal(SIGHUP);
    ASSERT_TRUE(dropped->wait_closed(3000ms));
    EXPECT_EQ(dropped->close_code(), 1008);
    EXPECT_EQ(dropped->close_reason(), "token revoked");
    EXPECT_TRUE(kept->is_open());
    EXPECT_EQ(get_as("/api/sensors", added).status, 200);
    EXPECT_EQ(get_as("/api/sensors", kitchen_token).status, 401);
    EXPECT_EQ(get_as("/api/sensors", jwt(600)).status, 401);  // the secret went too

    // A broken file is refused and the previous one stays.
    write_file(tokens(), "short\n");
    bridge_->process().send_signal(SIGHUP);
    ASSERT_TRUE(wait_until([&] { return read_whole_file(bridge_->log_path()).find("not reloaded") != std::string::npos; },
                           3000ms));
    EXPECT_EQ(get_as("/api/sensors", added).status, 200);
    EXPECT_TRUE(bridge_->running());
}

TEST_F(auth, query_tokens_are_redacted_and_secrets_never_logged_or_shown) {
    const std::string token = jwt(600, R"(,"sub":"it-redaction")");
    auto c = open([](ws_test_client&) {}, "/ws?token=" + all_rooms_token, false);
    c->send(auth_json(token));
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_frame_type(f, "authenticated"); }, 2000ms));
    EXPECT_EQ(get("/api/stats?token=it-wrong-query-token-0123").status, 401);
    EXPECT_EQ(get("/api/stats?a=1&access_token=" + token).status, 200);
    expect_handshake_refused("it-wrong-header-token-0123");
    {
        ws_test_client q;  // a refused query token is logged with its target
        q.connect(port(), "/ws?token=it-wrong-query-token-4567");
        ASSERT_TRUE(q.wait_closed(3000ms));
    }
    const std::string stats_body = get_as("/api/stats", all_rooms_token).body;
    const std::string metrics = get_as("/metrics", all_rooms_token).body;
    ASSERT_TRUE(wait_until(
        [&] { return read_whole_file(bridge_->log_path()).find("it-wrong-query-token-4567") == std::string::npos &&
                     read_whole_file(bridge_->log_path()).find("/ws?token=REDACTED") != std::string::npos; },
        2000ms))
        << bridge_->log_tail(20);
    const std::string log = read_whole_file(bridge_->log_path());
    EXPECT_NE(log.find("/api/stats?token=REDACTED"), std::string::npos) << log;
    EXPECT_NE(log.find("subject=it-redaction"), std::string::npos) << log;

    temp_dir tmp;
    const auto run = [&](const std::vector<std::string>& args) {
        std::vector<std::string> argv{SENSOR_BRIDGE_BIN};
        argv.insert(argv.end(), args.begin(), args.end());
        child_process p(spawn_options{argv, tmp / "out.txt", {}, tmp.path(), {"SENSOR_BRIDGE_TOKEN_FILE=" + tokens().string()}});
        EXPECT_EQ(p.wait_exit(5000ms), 0);
        return read_whole_file(tmp / "out.txt");
    };
    const std::string help = run({"--help"});
    const std::string printed = run({"--print-config"});
    EXPECT_NE(printed.find("token-file = \"" + tokens().string() + "\""), std::string::npos) << printed;

    for (const std::string& secret : {all_rooms_token, kitchen_token, jwt_secret, token, std::string("it-wrong-query-token"),
                                      std::string("it-wrong-header-token")}) {
        SCOPED_TRACE(secret.substr(0, 12));
        EXPECT_EQ(log.find(secret), std::string::npos);
        EXPECT_EQ(stats_body.find(secret), std::string::npos);
        EXPECT_EQ(metrics.find(secret), std::string::npos);
        EXPECT_EQ(help.find(secret), std::string::npos);
        EXPECT_EQ(printed.find(secret), std::string::npos);
    }
}

// What authentication adds to the wire, validated against schemas/.
TEST_F(auth, every_auth_frame_and_body_conforms_to_the_schemas) {
    static sb::test::schema_set schemas(SB_SCHEMA_DIR);
    const auto conforms = [](const std::string& ref, const std::string& json) -> ::testing::AssertionResult {
        const auto r = schemas.validate(ref, json);
        if (r.valid) return ::testing::AssertionSuccess();
        return ::testing::AssertionFailure() << ref << ": " << r.error << "\n  json: " << json;
    };
    ws_test_client c;
    ASSERT_TRUE(c.connect(port()));
    std::vector<std::string> frames;
    const auto take = [&] {
        auto f = c.next_frame(2000ms);
        EXPECT_TRUE(f) << "no frame";
        if (f) frames.push_back(*f);
    };
    take();                                     // connected, authRequired
    c.send(subscribe_json("sensor:*", "s1"));   // UNAUTHORIZED
    take();
    c.send(auth_json(jwt(600, R"(,"rooms":["sensor:kitchen.*"])")));
    take();                                     // authenticated, rooms + expiresAt
    c.send(subscribe_json("sensor:garage.power"));
    take();                                     // UNAUTHORIZED outside the rooms
    c.send(auth_json(all_rooms_token, "a2"));
    take();                                     // authenticated, every room
    ASSERT_EQ(frames.size(), 5u);
    const char* types[] = {"connected", "error", "authenticated", "error", "authenticated"};
    for (std::size_t i = 0; i < frames.size(); ++i) {
        EXPECT_TRUE(conforms("ws-server-message.schema.json", frames[i]));
        EXPECT_TRUE(is_frame_type(frames[i], types[i])) << frames[i];
    }
    EXPECT_TRUE(conforms("ws-client-message.schema.json", auth_json(all_rooms_token)));

    EXPECT_TRUE(conforms("rest-error.schema.json", get("/api/sensors").body));
    EXPECT_TRUE(conforms("rest-error.schema.json", get_as("/api/stats", jwt(-120)).body));
    EXPECT_TRUE(conforms("rest-error.schema.json", get_as("/api/sensors/garage.power", kitchen_token).body));
    EXPECT_TRUE(conforms("rest-health.schema.json", get("/api/health").body));
    EXPECT_TRUE(conforms("rest-stats.schema.json", get_as("/api/stats", all_rooms_token).body));
}

}  // namespace
}  // namespace sb_it
