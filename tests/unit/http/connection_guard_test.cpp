#include "http/connection_guard.hpp"

#include <gtest/gtest.h>

#include "http/address_limit.hpp"

namespace sb {
namespace {

using namespace std::chrono_literals;
using clock = std::chrono::steady_clock;
using verdict = connection_guard::verdict;
using deadline = connection_guard::deadline;

const clock::time_point t0{std::chrono::hours(1)};

TEST(token_bucket, allows_a_burst_then_the_rate) {
    token_bucket b(10, 3, t0);
    EXPECT_TRUE(b.take(t0));
    EXPECT_TRUE(b.take(t0));
    EXPECT_TRUE(b.take(t0));
    EXPECT_FALSE(b.take(t0));
    EXPECT_FALSE(b.take(t0 + 50ms));
    EXPECT_TRUE(b.take(t0 + 100ms));
    EXPECT_TRUE(b.take(t0 + 10s));
    EXPECT_TRUE(b.take(t0 + 10s));
    EXPECT_TRUE(b.take(t0 + 10s));
    EXPECT_FALSE(b.take(t0 + 10s));  // refilled to the burst, never beyond
}

TEST(connection_guard, over_the_rate_tells_once_then_drops_then_closes) {
    guard_limits limits;
    limits.message_rate = 1;
    limits.message_burst = 10;
    connection_guard g(limits, false, t0);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(g.on_message(t0), verdict::admit);
    EXPECT_EQ(g.on_message(t0), verdict::refuse_notify);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(g.on_message(t0), verdict::refuse);
    EXPECT_EQ(g.on_message(t0), verdict::close);
}

TEST(connection_guard, a_client_back_under_the_rate_starts_afresh) {
    guard_limits limits;
    limits.message_rate = 1;
    limits.message_burst = 10;
    connection_guard g(limits, false, t0);
    for (int i = 0; i < 10; ++i) g.on_message(t0);
    EXPECT_EQ(g.on_message(t0), verdict::refuse_notify);
    EXPECT_EQ(g.on_message(t0 + 1s), verdict::admit);
    EXPECT_EQ(g.on_message(t0 + 1s), verdict::refuse_notify);
}

TEST(connection_guard, must_authenticate_before_the_deadline) {
    guard_limits limits;
    limits.auth_timeout = 5s;
    connection_guard g(limits, true, t0);
    EXPECT_FALSE(g.authenticated());
    EXPECT_FALSE(g.scope().covers_sensor("a"));
    EXPECT_EQ(g.check(t0 + 4s, 0), deadline::none);
    EXPECT_EQ(g.check(t0 + 5s, 0), deadline::auth_timeout);
    g.authenticate(auth_grant{}, "tok");
    EXPECT_EQ(g.check(t0 + 5s, 0), deadline::none);
    EXPECT_TRUE(g.scope().covers_sensor("a"));
    EXPECT_EQ(g.token(), "tok");
}

TEST(connection_guard, a_jwt_grant_expires) {
    connection_guard g(guard_limits{}, true, t0);
    auth_grant grant;
    grant.valid_until_ms = 1000;
    g.authenticate(grant, "jwt");
    EXPECT_EQ(g.check(t0, 1000), deadline::none);
    EXPECT_EQ(g.check(t0, 1001), deadline::token_expired);
}

TEST(connection_guard, idle_counts_messages_pings_and_pongs) {
    guard_limits limits;
    limits.idle_timeout = 10s;
    connection_guard g(limits, false, t0);
    EXPECT_EQ(g.check(t0 + 9s, 0), deadline::none);
    g.heard(t0 + 9s);
    EXPECT_EQ(g.check(t0 + 18s, 0), deadline::none);
    g.on_message(t0 + 18s);
    EXPECT_EQ(g.check(t0 + 27s, 0), deadline::none);
    EXPECT_EQ(g.check(t0 + 28s, 0), deadline::idle);
    connection_guard never(guard_limits{}, false, t0);  // idle_timeout 0
    EXPECT_EQ(never.check(t0 + 24h, 0), deadline::none);
}

TEST(address_limit, counts_per_address) {
    address_limit l(2);
    EXPECT_TRUE(l.try_add("127.0.0.1"));
    EXPECT_TRUE(l.try_add("127.0.0.1"));
    EXPECT_FALSE(l.try_add("127.0.0.1"));
    EXPECT_TRUE(l.try_add("127.0.0.2"));
    l.remove("127.0.0.1");
    EXPECT_TRUE(l.try_add("127.0.0.1"));
    EXPECT_EQ(l.count("127.0.0.1"), 2u);
    l.remove("nobody");
    address_limit unlimited(0);
    for (int i = 0; i < 100; ++i) EXPECT_TRUE(unlimited.try_add("a"));
}

}  // namespace
}  // namespace sb
