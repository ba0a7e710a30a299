#include "hub/room.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

struct room_case {
    const char* name;
    bool valid;
    bool prefix;
    const char* key;
};

TEST(room, parses_the_three_room_forms_and_refuses_the_rest) {
    const room_case cases[] = {
        {"sensor:temp-1", true, false, "temp-1"},
        {"sensor:kitchen.temperature", true, false, "kitchen.temperature"},
        {"sensor:*", true, true, ""},
        {"sensor:kitchen.*", true, true, "kitchen."},
        {"sensor:", false, false, ""},
        {"sensors:temp-1", false, false, ""},
        {"temp-1", false, false, ""},
        {"sensor:Living Room Sensor.temperature", true, false, "Living Room Sensor.temperature"},
        {"sensor:K\xC3\xBC" "che*", true, true, "K\xC3\xBC" "che"},
        {"sensor:a/b", true, false, "a/b"},
        {"sensor:temp\t1", false, false, ""},
        {"sensor:a\nb*", false, false, ""},
        {"sensor:K\xC3*", false, false, ""},
        {"sensor:**", false, false, ""},
        {"sensor:a*b", false, false, ""},
        {"SENSOR:temp-1", false, false, ""},
    };
    for (const auto& c : cases) {
        auto r = room::parse(c.name);
        ASSERT_EQ(r.has_value(), c.valid) << c.name;
        if (!r) continue;
        EXPECT_EQ(r->is_prefix(), c.prefix) << c.name;
        EXPECT_EQ(r->key(), c.key) << c.name;
        EXPECT_EQ(r->name(), c.name);
    }
}

TEST(room, refuses_an_id_over_128_bytes) {
    EXPECT_TRUE(room::parse("sensor:" + std::string(128, 'a')).has_value());
    EXPECT_FALSE(room::parse("sensor:" + std::string(129, 'a')).has_value());
}

TEST(room, matches_exact_and_prefix) {
    auto exact = *room::parse("sensor:temp-1");
    EXPECT_TRUE(exact.matches("temp-1"));
    EXPECT_FALSE(exact.matches("temp-10"));
    auto prefix = *room::parse("sensor:kitchen.*");
    EXPECT_TRUE(prefix.matches("kitchen.temperature"));
    EXPECT_FALSE(prefix.matches("kitchen"));
    EXPECT_FALSE(prefix.matches("porch.temperature"));
    auto all = *room::parse("sensor:*");
    EXPECT_TRUE(all.matches("anything"));
}

}  // namespace
}  // namespace sb
