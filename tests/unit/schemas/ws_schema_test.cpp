// Every WebSocket control frame the bridge builds (wire/server_messages), the error frames for
// bad client input (hub/client_message), and the client messages of docs/PROTOCOL.md §3, validated
// against ws-server-message.schema.json and ws-client-message.schema.json.
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "hub/room.hpp"
#include "schema_fixtures.hpp"
#include "wire/client_message.hpp"
#include "wire/error_code.hpp"
#include "wire/server_messages.hpp"

namespace sb::test {
namespace {

constexpr const char* server_schema = "ws-server-message.schema.json";
constexpr const char* client_schema = "ws-client-message.schema.json";

struct frame_case {
    std::string name;
    std::string definition;  // the oneOf branch it must match, for a precise failure message
    std::string json;
};

void PrintTo(const frame_case& c, std::ostream* os) { *os << c.name; }

const std::vector<std::string> auth_rooms{"sensor:kitchen.*", "sensor:door-1"};
constexpr const char* instance = "0123456789abcdef0123456789abcdef";

std::vector<frame_case> frame_cases() {
    std::vector<frame_case> cases{
        {"connected", "connected", connected_json("0.1.0", instance, 30000)},
        {"connected_build_version", "connected", connected_json(SENSOR_BRIDGE_VERSION, instance, 1)},
        {"connected_auth_required", "connected", connected_json("0.1.0", instance, 30000, true)},
        {"authenticated_everything", "authenticated", authenticated_json("a1", nullptr, std::nullopt)},
        {"authenticated_rooms_expiry", "authenticated",
         authenticated_json("", &auth_rooms, 1795000030000)},
        {"subscribed_with_id", "roomAck", room_ack_json("subscribed", "c1", "sensor:temp-1")},
        {"subscribed_without_id", "roomAck", room_ack_json("subscribed", "", "sensor:*")},
        {"subscribed_prefix", "roomAck", room_ack_json("subscribed", "x", "sensor:kitchen.*")},
        {"unsubscribed", "roomAck", room_ack_json("unsubscribed", "", "sensor:temp-1")},
        {"unsubscribed_id_64", "roomAck",
         room_ack_json("unsubscribed", std::string(64, 'i'), "sensor:a")},
        {"pong", "pong", pong_json("")},
        {"pong_with_id", "pong", pong_json("p1")},
        {"status_online", "status", status_json("temp-1", "online", 1795000000000)},
        {"status_offline", "status", status_json("kitchen.temp", "offline", 0)},
    };
    const client_error codes[] = {client_error::bad_json, client_error::unknown_type,
                                  client_error::bad_room, client_error::too_many_subscriptions,
                                  client_error::rate_limited, client_error::unauthorized};
    for (const client_error code : codes) {
        const std::string name(to_string(code));
        cases.push_back({"error_" + name, "error", error_json(code, "why \"quoted\" °", "id-1")});
        cases.push_back({"error_" + name + "_without_id", "error", error_json(code, "", "")});
    }
    return cases;
}

class ws_frame_schema_test : public ::testing::TestWithParam<frame_case> {};

TEST_P(ws_frame_schema_test, conforms) {
    const frame_case& c = GetParam();
    EXPECT_TRUE(conforms(std::string(server_schema) + "#/definitions/" + c.definition, c.json));
    EXPECT_TRUE(conforms(server_schema, c.json));
}

INSTANTIATE_TEST_SUITE_P(schemas, ws_frame_schema_test, ::testing::ValuesIn(frame_cases()),
                         case_name<frame_case>);

// The error frame the endpoint sends for each kind of bad client message.
TEST(ws_client_error_schema_test, error_replies_to_bad_input_conform) {
    const std::vector<std::string> bad_input{
        "",
        "not json",
        "{",
        "[]",
        "42",
        R"({"type":7})",
        R"({"type":"shout","id":"s1"})",
        R"({"type":"subscribe","id":"s2"})",
        R"({"type":"subscribe","payload":{"room":5}})",
        R"({"type":"subscribe","id":")" + std::string(65, 'x') + R"(","payload":[]})",
        "[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]",
        std::string(5000, ' '),
        "{\"type\":\"ping\",\"id\":\"\xff\"}",
    };
    for (const std::string& text : bad_input) {
        const auto parsed = parse_client_message(text);
        const auto* err = std::get_if<client_message_error>(&parsed);
        ASSERT_NE(err, nullptr) << "accepted: " << text;
        EXPECT_TRUE(conforms(server_schema, error_json(err->code, err->message, err->id)))
            << "input: " << text;
    }
}

TEST(ws_client_schema_test, design_examples_conform) {
    for (const char* json : {
             R"({"type":"subscribe","id":"opt-correlation","payload":{"room":"sensor:temp-1"}})",
             R"({"type":"unsubscribe","payload":{"room":"sensor:temp-1"}})",
             R"({"type":"ping"})",
             R"({"type":"subscribe","payload":{"room":"sensor:*"}})",
             R"({"type":"subscribe","payload":{"room":"sensor:kitchen.*"}})",
             R"({"type":"subscribe","payload":{"room":"sensor:wall-1","maxRateHz":1}})",
             R"({"type":"auth","id":"a1","payload":{"token":"eyJhbGciOiJIUzI1NiJ9.e30.sig"}})",
         }) {
        EXPECT_TRUE(conforms(client_schema, json));
        EXPECT_TRUE(std::holds_alternative<client_message>(parse_client_message(json))) << json;
    }
}

// An auth message the schema refuses, the parser refuses too.
TEST(ws_client_schema_test, auth_without_a_token_is_refused_by_both) {
    for (const char* json : {R"({"type":"auth"})", R"({"type":"auth","payload":{}})",
                             R"({"type":"auth","payload":{"token":""}})", R"({"type":"auth","payload":{"token":7}})"}) {
        EXPECT_FALSE(conforms(client_schema, json)) << json;
        EXPECT_TRUE(std::holds_alternative<client_message_error>(parse_client_message(json))) << json;
    }
}

// The client schema's room pattern and room::parse must agree in both directions: a client
// that validates against the schema never gets BAD_ROOM, and the schema admits every room the
// server accepts.
struct room_case {
    std::string name;
    std::string room;
};

void PrintTo(const room_case& c, std::ostream* os) { *os << c.name; }

const std::vector<room_case> room_cases{
    {"exact", "sensor:temp-1"},
    {"all", "sensor:*"},
    {"prefix", "sensor:kitchen.*"},
    {"punctuation", "sensor:a.b_c:d~e-f"},
    {"id_128", "sensor:" + std::string(128, 'a')},
    {"id_129", "sensor:" + std::string(129, 'a')},
    {"prefix_127", "sensor:" + std::string(127, 'a') + "*"},
    {"prefix_128", "sensor:" + std::string(128, 'a') + "*"},
    {"empty_id", "sensor:"},
    {"no_scheme", "temp-1"},
    {"wrong_scheme", "sensors:temp-1"},
    {"upper_scheme", "SENSOR:temp-1"},
    {"space", "sensor:temp 1"},
    {"slash", "sensor:a/b"},
    {"star_inside", "sensor:a*b"},
    {"two_stars", "sensor:a**"},
    {"hash", "sensor:#"},
    {"unicode", "sensor:t\xC3\xA9mp"},
    {"trailing_newline", "sensor:temp-1\n"},
};

class room_schema_test : public ::testing::TestWithParam<room_case> {};

TEST_P(room_schema_test, schema_agrees_with_room_parse) {
    const room_case& c = GetParam();
    const bool server_accepts = room::parse(c.room).has_value();
    std::string json = R"({"type":"subscribe","payload":{"room":")";
    for (const char ch : c.room) json += ch == '\n' ? std::string("\\n") : std::string(1, ch);
    json += "\"}}";
    const validation_result r = schemas().validate(client_schema, json);
    ASSERT_TRUE(r.valid || r.error.rfind("keyword", 0) == 0) << r.error;
    EXPECT_EQ(r.valid, server_accepts) << "room " << c.room << ": " << r.error;
}

INSTANTIATE_TEST_SUITE_P(schemas, room_schema_test, ::testing::ValuesIn(room_cases),
                         case_name<room_case>);

}  // namespace
}  // namespace sb::test
