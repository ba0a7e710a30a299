// Graceful shutdown (STYLE.md §8): clients get 1001 and the process exits 0 promptly.
#include <gtest/gtest.h>

#include <signal.h>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

using lifecycle = bridge_test;

TEST_F(lifecycle, sigterm_closes_clients_with_1001_and_exits_0_within_2s) {
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    auto idle = connect_client();

    const auto t0 = steady::now();
    const auto code = bridge_->terminate(2000ms);
    ASSERT_TRUE(code) << "still running 2 s after SIGTERM";
    EXPECT_EQ(*code, 0);
    EXPECT_LT(std::chrono::duration_cast<ms>(steady::now() - t0).count(), 2000);

    ASSERT_TRUE(c->wait_closed(1000ms));
    EXPECT_EQ(c->close_code(), 1001);
    ASSERT_TRUE(idle->wait_closed(1000ms));
    EXPECT_EQ(idle->close_code(), 1001);
}

TEST_F(lifecycle, sigint_also_stops_cleanly) {
    bridge_->process().send_signal(SIGINT);
    const auto code = bridge_->process().wait_exit(2000ms);
    ASSERT_TRUE(code) << "still running 2 s after SIGINT";
    EXPECT_EQ(*code, 0);
}

}  // namespace
}  // namespace sb_it
