#include "wire/client_message.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

client_message parse_ok(const std::string& text) {
    auto r = parse_client_message(text);
    EXPECT_TRUE(std::holds_alternative<client_message>(r)) << text;
    return std::holds_alternative<client_message>(r) ? std::get<client_message>(r) : client_message{};
}

client_message_error parse_bad(const std::string& text) {
    auto r = parse_client_message(text);
    EXPECT_TRUE(std::holds_alternative<client_message_error>(r)) << text;
    return std::holds_alternative<client_message_error>(r) ? std::get<client_message_error>(r)
                                                           : client_message_error{};
}

TEST(client_message, parses_subscribe_with_correlation_id) {
    auto m = parse_ok(R"({"type":"subscribe","id":"c1","payload":{"room":"sensor:temp-1"}})");
    EXPECT_EQ(m.type, client_message_type::subscribe);
    EXPECT_EQ(m.id, "c1");
    EXPECT_EQ(m.room, "sensor:temp-1");
}

TEST(client_message, parses_unsubscribe_and_ping) {
    EXPECT_EQ(parse_ok(R"({"type":"unsubscribe","payload":{"room":"sensor:*"}})").type,
              client_message_type::unsubscribe);
    EXPECT_EQ(parse_ok(R"({"type":"ping"})").type, client_message_type::ping);
}

struct bad_case {
    const char* name;
    std::string text;
    client_error code;
};

TEST(client_message, bad_input_gets_a_code) {
    const bad_case cases[] = {
        {"truncated", R"({"type":"subscribe")", client_error::bad_json},
        {"empty", "", client_error::bad_json},
        {"not an object", "[1,2]", client_error::bad_json},
        {"no type", R"({"payload":{}})", client_error::bad_json},
        {"type not string", R"({"type":3})", client_error::bad_json},
        {"unknown type", R"({"type":"publish"})", client_error::unknown_type},
        {"no payload", R"({"type":"subscribe"})", client_error::bad_room},
        {"room not string", R"({"type":"subscribe","payload":{"room":5}})", client_error::bad_room},
        {"deep nesting", std::string(2000, '[') + std::string(2000, ']'), client_error::bad_json},
        {"over 4 KiB", R"({"type":"ping","x":")" + std::string(5000, 'a') + "\"}", client_error::bad_json},
        {"invalid utf-8", "{\"type\":\"ping\",\"x\":\"\xff\xfe\"}", client_error::bad_json},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(parse_bad(c.text).code, c.code) << c.name;
    }
}

TEST(client_message, error_keeps_the_correlation_id_when_readable) {
    EXPECT_EQ(parse_bad(R"({"type":"nope","id":"x7"})").id, "x7");
    EXPECT_EQ(parse_bad(R"({"type":"nope","id":")" + std::string(100, 'a') + "\"}").id, "");
}

TEST(client_message, subscribe_takes_an_optional_max_rate) {
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x"}})").max_rate_hz, 0.0);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","maxRateHz":1}})").max_rate_hz, 1.0);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","maxRateHz":0.5}})").max_rate_hz, 0.5);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","maxRateHz":1000}})").max_rate_hz, 1000.0);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","maxRateHz":0.001}})").max_rate_hz, 0.001);
}

TEST(client_message, a_bad_max_rate_is_bad_json_with_the_correlation_id) {
    for (const char* rate : {"0", "0.0005", "-1", "1000.5", "1e9", "\"1\"", "null", "true", "[1]"}) {
        const std::string text =
            std::string(R"({"type":"subscribe","id":"r","payload":{"room":"sensor:x","maxRateHz":)") + rate + "}}";
        const auto err = parse_bad(text);
        EXPECT_EQ(err.code, client_error::bad_json) << rate;
        EXPECT_EQ(err.id, "r") << rate;
        EXPECT_NE(err.message.find("maxRateHz"), std::string::npos) << err.message;
    }
}

TEST(client_message, subscribe_takes_an_optional_since_seq) {
    EXPECT_FALSE(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x"}})").since.has_value());
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","since":0}})").since, 0u);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","since":42}})").since, 42u);
    EXPECT_EQ(parse_ok(R"({"type":"subscribe","payload":{"room":"sensor:x","since":18446744073709551615}})").since,
              18446744073709551615u);
    EXPECT_FALSE(parse_ok(R"({"type":"unsubscribe","payload":{"room":"sensor:*","since":3}})").since.has_value())
        << "unsubscribe ignores since";
}

TEST(client_message, a_bad_since_is_refused_with_the_correlation_id) {
    for (const char* since : {"-1", "1.5", "\"3\"", "null", "true", "18446744073709551616"}) {
        const auto err = parse_bad(std::string(R"({"type":"subscribe","id":"s","payload":{"room":"sensor:x","since":)") +
                                   since + "}}");
        EXPECT_EQ(err.code, client_error::bad_json) << since;
        EXPECT_EQ(err.id, "s") << since;
        EXPECT_NE(err.message.find("since"), std::string::npos) << err.message;
    }
    // One seq cannot resume many sensors: since needs an exact room.
    for (const char* room : {"sensor:*", "sensor:kitchen.*"}) {
        const auto err = parse_bad(std::string(R"({"type":"subscribe","id":"p","payload":{"room":")") + room +
                                   R"(","since":1}})");
        EXPECT_EQ(err.code, client_error::bad_room) << room;
        EXPECT_EQ(err.id, "p");
    }
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(client_message, parses_auth_with_its_token) {
    auto m = parse_ok(R"({"type":"auth","id":"a1","payload":{"token":"abc.def.ghi"}})");
    EXPECT_EQ(m.type, client_message_type::auth);
    EXPECT_EQ(m.id, "a1");
    EXPECT_EQ(m.token, "abc.def.ghi");
}

TEST(client_message, auth_without_a_token_is_bad_json) {
    for (const char* bad : {R"({"type":"auth"})", R"({"type":"auth","payload":{}})", R"({"type":"auth","payload":{"token":""}})",
                            R"({"type":"auth","payload":{"token":42}})"}) {
        EXPECT_EQ(parse_bad(bad).code, client_error::bad_json) << bad;
    }
}

TEST(client_message, a_member_named_twice_is_bad_json) {
    // JSON.parse in a browser takes the last, RapidJSON the first: refused, with the name.
    auto e = parse_bad(R"({"type":"subscribe","id":"c1","payload":{"room":"sensor:a","room":"sensor:*"}})");
    EXPECT_EQ(e.code, client_error::bad_json);
    EXPECT_EQ(e.message, "duplicate key \"room\"");
    EXPECT_EQ(e.id, "c1");
    e = parse_bad(R"({"type":"ping","type":"subscribe"})");
    EXPECT_EQ(e.code, client_error::bad_json);
    EXPECT_EQ(e.message, "duplicate key \"type\"");
    // Which id to echo is not known when the id is the member named twice.
    e = parse_bad(R"({"type":"ping","id":"a","id":"b"})");
    EXPECT_EQ(e.message, "duplicate key \"id\"");
    EXPECT_EQ(e.id, "");
}


}  // namespace
}  // namespace sb
