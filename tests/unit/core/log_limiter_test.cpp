#include "core/log_limiter.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(log_limiter, allows_a_burst_then_reports_what_it_suppressed) {
    using namespace std::chrono;
    log_limiter limiter(3, seconds(1));
    auto t0 = log_limiter::clock::time_point{} + hours(1);
    int allowed = 0;
    for (int i = 0; i < 10; ++i) allowed += limiter.allow(t0 + milliseconds(i)) ? 1 : 0;
    EXPECT_EQ(allowed, 3);
    ASSERT_TRUE(limiter.allow(t0 + milliseconds(1500)));
    EXPECT_EQ(limiter.suppressed(), 7u);
    ASSERT_TRUE(limiter.allow(t0 + milliseconds(1501)));
    EXPECT_EQ(limiter.suppressed(), 0u);
}

}  // namespace
}  // namespace sb
