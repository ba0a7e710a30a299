// The reconnect wait both MQTT clients use: doubling up to the cap, jittered within the upper
// half of each step, back to the minimum after reset().
#include "ingest/reconnect_backoff.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

using std::chrono::milliseconds;

TEST(reconnect_backoff, doubles_to_the_cap_within_the_upper_half_of_each_step) {
    reconnect_backoff b(milliseconds(1000), milliseconds(5000), 7);
    const long steps[] = {1000, 2000, 4000, 5000, 5000};
    for (long step : steps) {
        const auto wait = b.next().count();
        EXPECT_GE(wait, step / 2);
        EXPECT_LE(wait, step);
    }
}

TEST(reconnect_backoff, reset_starts_again_from_the_minimum) {
    reconnect_backoff b(milliseconds(100), milliseconds(30000), 1);
    for (int i = 0; i < 10; ++i) b.next();
    EXPECT_GE(b.next().count(), 15000);
    b.reset();
    EXPECT_LE(b.next().count(), 100);
}

TEST(reconnect_backoff, jitter_spreads_bridges_apart) {
    reconnect_backoff a(milliseconds(10000), milliseconds(10000), 1);
    reconnect_backoff b(milliseconds(10000), milliseconds(10000), 2);
    bool differ = false;
    for (int i = 0; i < 5; ++i) differ = differ || a.next() != b.next();
    EXPECT_TRUE(differ);
}

}  // namespace
}  // namespace sb
