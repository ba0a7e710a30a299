#include "auth/room_scope.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

bool covers(const room_scope& s, const char* r) { return s.covers(*room::parse(r)); }

TEST(room_scope, everything_covers_every_room) {
    const auto s = room_scope::everything();
    EXPECT_TRUE(s.unrestricted());
    EXPECT_TRUE(covers(s, "sensor:*"));
    EXPECT_TRUE(s.covers_sensor("any"));
}

TEST(room_scope, a_prefix_pattern_covers_exact_and_narrower_prefix_rooms_only) {
    const auto s = *room_scope::parse({"sensor:kitchen.*"});
    EXPECT_TRUE(covers(s, "sensor:kitchen.temp"));
    EXPECT_TRUE(covers(s, "sensor:kitchen.*"));
    EXPECT_TRUE(covers(s, "sensor:kitchen.t*"));
    EXPECT_FALSE(covers(s, "sensor:kitchen*"));
    EXPECT_FALSE(covers(s, "sensor:*"));
    EXPECT_FALSE(covers(s, "sensor:garage.power"));
    EXPECT_TRUE(s.covers_sensor("kitchen.humidity"));
    EXPECT_FALSE(s.covers_sensor("garage.power"));
}

TEST(room_scope, an_exact_pattern_covers_itself_only) {
    const auto s = *room_scope::parse({"sensor:door-1", "sensor:door-2"});
    EXPECT_TRUE(covers(s, "sensor:door-1"));
    EXPECT_TRUE(covers(s, "sensor:door-2"));
    EXPECT_FALSE(covers(s, "sensor:door-*"));
    EXPECT_FALSE(covers(s, "sensor:door-10"));
    EXPECT_EQ(s.names(), (std::vector<std::string>{"sensor:door-1", "sensor:door-2"}));
}

TEST(room_scope, no_pattern_covers_nothing_and_bad_patterns_are_refused) {
    const auto none = *room_scope::parse({});
    EXPECT_FALSE(none.unrestricted());
    EXPECT_FALSE(covers(none, "sensor:a"));
    EXPECT_FALSE(room_scope::parse({"kitchen.*"}));
    EXPECT_FALSE(room_scope::parse({"sensor:a\tb"}));
    EXPECT_FALSE(room_scope::parse({""}));
}

}  // namespace
}  // namespace sb
