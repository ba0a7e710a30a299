#include "core/sensor_id.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

// docs/PROTOCOL.md §2: 1-128 bytes of UTF-8, no control characters, no '*'.
TEST(sensor_id, any_utf8_text_without_controls_or_star) {
    for (const char* ok : {"temp-1", "kitchen.temperature", "dev:temp", "a_b~c", "A9", "Living Room Sensor.temperature",
                           "a/b", "a+b", "a#", "\xC3\xA9", "K\xC3\xBC" "che.Temperatur", "\xE6\xB8\xA9\xE5\xBA\xA6",
                           "emoji \xF0\x9F\x98\x80", "a\"b", " lead"}) {
        EXPECT_TRUE(is_valid_sensor_id(ok)) << ok;
    }
    for (const char* bad : {"", "a*", "*", "a\nb", "a\tb", "\x01", "a\x7F", "c1\xC2\x85", "\xC3", "\xFF", "\xED\xA0\x80"}) {
        EXPECT_FALSE(is_valid_sensor_id(bad)) << bad;
    }
    EXPECT_FALSE(is_valid_sensor_id(std::string("a\0b", 3)));
    EXPECT_TRUE(is_valid_sensor_id(std::string(128, 'x')));
    EXPECT_FALSE(is_valid_sensor_id(std::string(129, 'x')));
    std::string umlauts;
    for (int i = 0; i < 64; ++i) umlauts += "\xC3\xBC";
    EXPECT_TRUE(is_valid_sensor_id(umlauts)) << "128 bytes";
    EXPECT_FALSE(is_valid_sensor_id(umlauts + "x")) << "129 bytes: the bound is in bytes";
    EXPECT_TRUE(is_valid_sensor_id("\xC2\xA0nbsp")) << "U+00A0 is no control";
}

TEST(sensor_id, a_room_prefix_may_be_empty_and_is_under_the_bound) {
    EXPECT_TRUE(is_valid_sensor_id_prefix(""));
    EXPECT_TRUE(is_valid_sensor_id_prefix("Living Room "));
    EXPECT_TRUE(is_valid_sensor_id_prefix(std::string(127, 'x')));
    EXPECT_FALSE(is_valid_sensor_id_prefix(std::string(128, 'x')));
    EXPECT_FALSE(is_valid_sensor_id_prefix("a*"));
    EXPECT_FALSE(is_valid_sensor_id_prefix("K\xC3"));  // cut inside a character
}

}  // namespace
}  // namespace sb
