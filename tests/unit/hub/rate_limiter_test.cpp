#include "hub/rate_limiter.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb {
namespace {

using namespace std::chrono_literals;
using clock_t_ = rate_limiter::clock;

class rate_limiter_fixture : public ::testing::Test {
protected:
    bool offer(const std::string& sensor, const std::string& text, clock_t_::duration interval = 1s) {
        return limiter.admit(sensor, make_text_message(text), interval, now);
    }
    std::vector<std::string> flush() {
        std::vector<std::string> out;
        limiter.flush_due(now, [&](const std::string& id, const out_message_ptr& f) { out.push_back(id + "=" + f->text()); });
        return out;
    }

    rate_limiter limiter;
    clock_t_::time_point now{std::chrono::seconds(50)};
};

TEST_F(rate_limiter_fixture, the_first_reading_goes_then_one_per_interval_latest_wins) {
    EXPECT_TRUE(offer("a", "1"));
    now += 100ms;
    EXPECT_FALSE(offer("a", "2"));
    now += 100ms;
    EXPECT_FALSE(offer("a", "3"));
    EXPECT_EQ(limiter.held(), 1u);
    EXPECT_EQ(limiter.next_due(), clock_t_::time_point{std::chrono::seconds(51)});
    now += 700ms;
    EXPECT_TRUE(flush().empty()) << "before the interval has passed";
    now += 100ms;
    EXPECT_EQ(flush(), std::vector<std::string>{"a=3"}) << "the last value, once the interval passed";
    EXPECT_EQ(limiter.held(), 0u);
    EXPECT_FALSE(limiter.next_due());
    now += 500ms;
    EXPECT_FALSE(offer("a", "4")) << "the trailing delivery counts as a send";
}

TEST_F(rate_limiter_fixture, a_reading_after_a_quiet_interval_goes_at_once) {
    EXPECT_TRUE(offer("a", "1"));
    now += 1s;
    EXPECT_TRUE(offer("a", "2"));
    now += 5s;
    EXPECT_TRUE(offer("a", "3"));
    EXPECT_EQ(limiter.held(), 0u);
}

TEST_F(rate_limiter_fixture, a_due_held_reading_is_superseded_by_a_newer_one) {
    EXPECT_TRUE(offer("a", "1"));
    now += 500ms;
    EXPECT_FALSE(offer("a", "2"));
    now += 600ms;  // "2" is due but the flush has not run yet
    EXPECT_TRUE(offer("a", "3"));
    EXPECT_TRUE(flush().empty()) << "2 is older than what was just sent";
}

TEST_F(rate_limiter_fixture, sensors_are_limited_independently) {
    EXPECT_TRUE(offer("a", "a1"));
    EXPECT_TRUE(offer("b", "b1"));
    now += 200ms;
    EXPECT_FALSE(offer("a", "a2"));
    EXPECT_TRUE(offer("c", "c1"));
    now += 300ms;
    EXPECT_FALSE(offer("b", "b2", 800ms));
    EXPECT_EQ(limiter.next_due(), clock_t_::time_point{std::chrono::milliseconds(50800)});
    now += 500ms;  // 51.0 s: both due, earliest first
    EXPECT_EQ(flush(), (std::vector<std::string>{"b=b2", "a=a2"}));
}

TEST_F(rate_limiter_fixture, take_hands_out_the_held_reading) {
    EXPECT_TRUE(offer("a", "1"));
    now += 10ms;
    EXPECT_FALSE(offer("a", "2"));
    auto held = limiter.take("a", now);
    ASSERT_TRUE(held);
    EXPECT_EQ(held->text(), "2");
    EXPECT_FALSE(limiter.take("a", now));
    EXPECT_FALSE(limiter.take("nobody", now));
    EXPECT_EQ(limiter.held(), 0u);
    now += 2s;
    EXPECT_TRUE(flush().empty());
}

TEST_F(rate_limiter_fixture, drop_unless_forgets_sensors_no_longer_followed) {
    offer("keep", "1");
    offer("gone", "1");
    now += 10ms;
    offer("keep", "2");
    offer("gone", "2");
    limiter.drop_unless([](const std::string& id) { return id == "keep"; });
    now += 2s;
    EXPECT_EQ(flush(), std::vector<std::string>{"keep=2"});
}

}  // namespace
}  // namespace sb
