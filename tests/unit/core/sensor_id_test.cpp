#include "core/sensor_id.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

TEST(sensor_id, accepts_the_contract_alphabet_only) {
    for (const char* ok : {"temp-1", "kitchen.temperature", "dev:temp", "a_b~c", "A9"}) {
        EXPECT_TRUE(is_valid_sensor_id(ok)) << ok;
    }
    for (const char* bad : {"", "a b", "a/b", "a+b", "a#", "é", "a\nb", "a\"b"}) {
        EXPECT_FALSE(is_valid_sensor_id(bad)) << bad;
    }
    EXPECT_TRUE(is_valid_sensor_id(std::string(128, 'x')));
    EXPECT_FALSE(is_valid_sensor_id(std::string(129, 'x')));
}

}  // namespace
}  // namespace sb
