#include "core/json_depth.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

TEST(json_depth, counts_nesting_outside_strings) {
    EXPECT_FALSE(json_exceeds_depth(R"({"a":[1,{"b":2}]})", 3));
    EXPECT_TRUE(json_exceeds_depth(R"({"a":[1,{"b":2}]})", 2));
    EXPECT_FALSE(json_exceeds_depth(R"({"a":"[[[[[[[["})", 1));
    EXPECT_FALSE(json_exceeds_depth(R"({"a":"\"[[[["})", 1));
}

TEST(json_depth, handles_100000_open_brackets_without_recursing) {
    EXPECT_TRUE(json_exceeds_depth(std::string(100000, '['), 16));
    EXPECT_TRUE(json_exceeds_depth(std::string(100000, '{'), 16));
}

}  // namespace
}  // namespace sb
