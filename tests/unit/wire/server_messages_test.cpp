#include "wire/server_messages.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(server_messages, shapes_match_the_contract) {
    const std::string instance = "0123456789abcdef0123456789abcdef";
    EXPECT_EQ(connected_json("0.1.0", instance, 30000),
              R"({"type":"connected","payload":{"version":"0.1.0","instance":")" + instance +
                  R"(","heartbeatMs":30000,"authRequired":false}})");
    EXPECT_EQ(connected_json("0.1.0", instance, 30000, true),
              R"({"type":"connected","payload":{"version":"0.1.0","instance":")" + instance +
                  R"(","heartbeatMs":30000,"authRequired":true}})");
    EXPECT_EQ(room_ack_json("subscribed", "c1", "sensor:t"), R"({"type":"subscribed","id":"c1","payload":{"room":"sensor:t"}})");
    EXPECT_EQ(room_ack_json("unsubscribed", "", "sensor:t"), R"({"type":"unsubscribed","payload":{"room":"sensor:t"}})");
    EXPECT_EQ(error_json(client_error::bad_room, "no \"room\"", "e"),
              R"({"type":"error","id":"e","payload":{"code":"BAD_ROOM","message":"no \"room\""}})");
    EXPECT_EQ(pong_json(""), R"({"type":"pong"})");
}

TEST(server_messages, authenticated_names_the_rooms_and_the_expiry_when_there_are_some) {
    EXPECT_EQ(authenticated_json("a1", nullptr, std::nullopt), R"({"type":"authenticated","id":"a1","payload":{}})");
    const std::vector<std::string> rooms{"sensor:kitchen.*"};
    EXPECT_EQ(authenticated_json("", &rooms, 1795000030000),
              R"({"type":"authenticated","payload":{"rooms":["sensor:kitchen.*"],"expiresAt":1795000030000}})");
}

}  // namespace
}  // namespace sb
