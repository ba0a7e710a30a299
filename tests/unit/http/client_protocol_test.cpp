// The client protocol without sockets: a fake peer records what the protocol sends and closes;
// the hub and the sensor registry are the real ones.
#include "http/client_protocol.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "wire/reading_json.hpp"

namespace sb {
namespace {

constexpr std::int64_t fixed_now_ms = 1795000000000;
std::int64_t fixed_wall() { return fixed_now_ms; }

const std::string good_token = "abcdefghijklmnop0123";
const std::string kitchen_token = "kitchen-screen-0123456789";
const std::string instance = "0123456789abcdef0123456789abcdef";

// A connection that keeps everything it was sent.
struct fake_peer final : protocol_peer, hub_client {
    explicit fake_peer(bool auth_required, guard_limits limits = {})
        : guard_(limits, auth_required, std::chrono::steady_clock::now()) {}

    void send_text(const std::string& json) override { texts.push_back(json); }
    void deliver(const out_message_ptr& m) override { delivered.push_back(m->text()); }
    void close(int code, const std::string& reason) override {
        close_code_ = code;
        close_reason = reason;
    }
    connection_guard& guard() override { return guard_; }
    hub::client_id hub_id() const override { return id; }
    std::string remote() const override { return "127.0.0.1:40000"; }
    std::string resource() const override { return "/ws"; }
    void deliver(const std::string&, const out_message_ptr& m, message_kind) override { live.push_back(m->text()); }

    // The type of the last message sent, and its payload's field.
    std::string last_type() const { return field(texts.back(), "type"); }
    static std::string field(const std::string& json, const char* name, const char* in = nullptr) {
        rapidjson::Document d;
        d.Parse(json.c_str());
        const rapidjson::Value* v = &d;
        if (in) v = &d["payload"];
        return (*v)[name].IsString() ? (*v)[name].GetString() : "";
    }

    connection_guard guard_;
    hub::client_id id = 0;
    std::vector<std::string> texts;
    std::vector<std::string> delivered;
    std::vector<std::string> live;
    std::optional<int> close_code_;
    std::string close_reason;
};

class client_protocol_test : public ::testing::Test {
protected:
    explicit client_protocol_test(bool with_tokens = false) {
        if (with_tokens) {
            verifier_ = std::make_unique<token_verifier>(std::get<token_set>(
                parse_token_file(good_token + "\ntoken " + kitchen_token + " rooms=sensor:kitchen.*\n")));
        }
        protocol_ = std::make_unique<client_protocol>(hub_, registry_, verifier_.get(), instance, 30000, fixed_wall);
    }

    std::shared_ptr<fake_peer> connect(guard_limits limits = {}) {
        auto p = std::make_shared<fake_peer>(verifier_ != nullptr, limits);
        p->id = hub_.connect(p);
        protocol_->on_open(*p, std::nullopt, {}, token_source::none);
        return p;
    }
    void send(fake_peer& p, const std::string& text) {
        protocol_->on_message(p, true, text, std::chrono::steady_clock::now());
    }
    void add_reading(const std::string& id, double value) {
        reading r;
        r.sensor_id = id;
        r.value = value;
        r.timestamp = fixed_now_ms;
        r.received_at = fixed_now_ms;
        r.seq = registry_.next_seq(id);
        r.topic = "sensors/" + id;
        std::string text = reading_message_json(r);
        registry_.update(std::move(r), make_text_message(std::move(text)));
    }

    hub hub_{8};
    sensor_registry registry_;
    std::unique_ptr<token_verifier> verifier_;
    std::unique_ptr<client_protocol> protocol_;
};

class client_protocol_auth_test : public client_protocol_test {
protected:
    client_protocol_auth_test() : client_protocol_test(true) {}
};

TEST_F(client_protocol_test, a_new_connection_is_greeted_with_connected) {
    auto p = connect();
    ASSERT_EQ(p->texts.size(), 1u);
    EXPECT_EQ(p->last_type(), "connected");
    EXPECT_NE(p->texts[0].find("\"authRequired\":false"), std::string::npos);
    EXPECT_EQ(fake_peer::field(p->texts[0], "instance", "payload"), instance) << p->texts[0];
}

TEST_F(client_protocol_test, ping_gets_a_pong_with_its_id) {
    auto p = connect();
    send(*p, R"({"type":"ping","id":"p1"})");
    EXPECT_EQ(p->last_type(), "pong");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "id"), "p1");
}

TEST_F(client_protocol_test, subscribe_acks_then_sends_the_snapshot_and_joins_the_room) {
    add_reading("kitchen.temp", 21.5);
    add_reading("garage.temp", 9);
    auto p = connect();
    send(*p, R"({"type":"subscribe","id":"s1","payload":{"room":"sensor:kitchen.*"}})");
    EXPECT_EQ(p->last_type(), "subscribed");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "room", "payload"), "sensor:kitchen.*");
    ASSERT_EQ(p->delivered.size(), 1u);
    EXPECT_NE(p->delivered[0].find("\"kitchen.temp\""), std::string::npos);
    EXPECT_EQ(hub_.subscription_count(), 1u);
    hub_.publish("kitchen.temp", make_text_message("live"));
    hub_.publish("garage.temp", make_text_message("other"));
    EXPECT_EQ(p->live, std::vector<std::string>{"live"});
}

TEST_F(client_protocol_test, unsubscribe_leaves_the_room) {
    auto p = connect();
    send(*p, R"({"type":"subscribe","payload":{"room":"sensor:a"}})");
    send(*p, R"({"type":"unsubscribe","id":"u","payload":{"room":"sensor:a"}})");
    EXPECT_EQ(p->last_type(), "unsubscribed");
    EXPECT_EQ(hub_.subscription_count(), 0u);
}

TEST_F(client_protocol_test, bad_input_gets_an_error_and_the_connection_stays) {
    auto p = connect();
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"{not json", "BAD_JSON"},
        {R"({"type":"dance"})", "UNKNOWN_TYPE"},
        {R"({"type":"subscribe","payload":{"room":"kitchen"}})", "BAD_ROOM"},
    };
    for (const auto& [text, code] : cases) {
        send(*p, text);
        EXPECT_EQ(p->last_type(), "error") << text;
        EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), code) << text;
    }
    protocol_->on_message(*p, false, "\x01\x02", std::chrono::steady_clock::now());
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "BAD_JSON");
    EXPECT_FALSE(p->close_code_);
    EXPECT_EQ(hub_.subscription_count(), 0u);
}

TEST_F(client_protocol_test, text_that_is_not_utf8_closes_with_1007) {
    auto p = connect();
    send(*p, "{\"type\":\"ping\",\"id\":\"\xC3\"}");
    EXPECT_EQ(p->close_code_, 1007);
}

TEST_F(client_protocol_test, the_subscription_limit_is_an_error) {
    auto p = connect();
    for (int i = 0; i < 9; ++i) send(*p, R"({"type":"subscribe","payload":{"room":"sensor:s)" + std::to_string(i) + "\"}}");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "TOO_MANY_SUBSCRIPTIONS");
    EXPECT_EQ(hub_.subscription_count(), 8u);
}

TEST_F(client_protocol_test, over_the_message_rate_one_error_then_silence_then_close) {
    guard_limits limits;
    limits.message_rate = 1;
    limits.message_burst = 2;
    auto p = connect(limits);
    const auto now = std::chrono::steady_clock::now();
    std::size_t before = 0;
    for (int i = 0; i < 2; ++i) protocol_->on_message(*p, true, R"({"type":"ping"})", now);
    EXPECT_EQ(p->last_type(), "pong");
    protocol_->on_message(*p, true, R"({"type":"ping"})", now);
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "RATE_LIMITED");
    before = p->texts.size();
    for (int i = 0; i < 10 && !p->close_code_; ++i) protocol_->on_message(*p, true, R"({"type":"ping"})", now);
    EXPECT_EQ(p->texts.size(), before);  // refused silently
    EXPECT_EQ(p->close_code_, 1008);
    EXPECT_GE(protocol_->counters().rate_limited, 2u);
}

TEST_F(client_protocol_test, auth_without_a_token_file_is_answered_at_once) {
    auto p = connect();
    send(*p, R"({"type":"auth","id":"a","payload":{"token":"whatever-token-123"}})");
    EXPECT_EQ(p->last_type(), "authenticated");
    EXPECT_EQ(protocol_->counters().auth_failures, 0u);
}

TEST_F(client_protocol_auth_test, nothing_but_auth_and_ping_before_authenticating) {
    auto p = connect();
    EXPECT_NE(p->texts[0].find("\"authRequired\":true"), std::string::npos);
    send(*p, R"({"type":"subscribe","id":"s","payload":{"room":"sensor:*"}})");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "UNAUTHORIZED");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "message", "payload").rfind("authenticate first", 0), 0u);
    send(*p, R"({"type":"unsubscribe","id":"u","payload":{"room":"sensor:*"}})");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "UNAUTHORIZED");
    send(*p, R"({"type":"ping"})");
    EXPECT_EQ(p->last_type(), "pong");
    EXPECT_EQ(hub_.subscription_count(), 0u);
}

TEST_F(client_protocol_auth_test, a_good_auth_message_opens_the_rooms_of_its_token) {
    auto p = connect();
    send(*p, R"({"type":"auth","id":"a","payload":{"token":")" + kitchen_token + "\"}}");
    EXPECT_EQ(p->last_type(), "authenticated");
    EXPECT_NE(p->texts.back().find("sensor:kitchen.*"), std::string::npos);
    send(*p, R"({"type":"subscribe","payload":{"room":"sensor:garage.power"}})");
    EXPECT_EQ(fake_peer::field(p->texts.back(), "code", "payload"), "UNAUTHORIZED");
    send(*p, R"({"type":"subscribe","payload":{"room":"sensor:kitchen.temp"}})");
    EXPECT_EQ(p->last_type(), "subscribed");
}

TEST_F(client_protocol_auth_test, a_refused_token_closes_with_1008_and_is_counted) {
    auto p = connect();
    send(*p, R"({"type":"auth","payload":{"token":"not-a-known-token-000"}})");
    EXPECT_EQ(p->close_code_, 1008);
    EXPECT_EQ(protocol_->counters().auth_failures, 1u);
}

TEST_F(client_protocol_auth_test, a_refused_handshake_token_closes_before_connected) {
    auto p = std::make_shared<fake_peer>(true);
    p->id = hub_.connect(p);
    protocol_->on_open(*p, auth_result{auth_failure::expired}, "x", token_source::header);
    EXPECT_EQ(p->close_code_, 1008);
    EXPECT_EQ(p->close_reason, "token expired");
    EXPECT_TRUE(p->texts.empty());
}

TEST_F(client_protocol_auth_test, a_token_revoked_by_a_reload_closes_the_connection) {
    auto p = connect();
    send(*p, R"({"type":"auth","payload":{"token":")" + good_token + "\"}}");
    ASSERT_EQ(p->last_type(), "authenticated");
    protocol_->recheck(*p);
    EXPECT_FALSE(p->close_code_);
    verifier_->replace(std::get<token_set>(parse_token_file(kitchen_token + "\n")));
    protocol_->recheck(*p);
    EXPECT_EQ(p->close_code_, 1008);
    EXPECT_EQ(p->close_reason, "token revoked");
}

TEST_F(client_protocol_auth_test, a_narrower_token_after_a_reload_leaves_the_rooms_it_no_longer_covers) {
    auto p = connect();
    send(*p, R"({"type":"auth","payload":{"token":")" + kitchen_token + "\"}}");
    send(*p, R"({"type":"subscribe","payload":{"room":"sensor:kitchen.temp"}})");
    ASSERT_EQ(hub_.subscription_count(), 1u);
    verifier_->replace(std::get<token_set>(parse_token_file("token " + kitchen_token + " rooms=sensor:hall.*\n")));
    protocol_->recheck(*p);
    EXPECT_FALSE(p->close_code_);
    EXPECT_EQ(hub_.subscription_count(), 0u);
}

}  // namespace
}  // namespace sb
