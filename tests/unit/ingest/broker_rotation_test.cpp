// ingest/broker_rotation: the order in which --mqtt-url brokers are tried (issue 19, failover).
#include "ingest/broker_rotation.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(broker_rotation, tries_each_broker_of_a_round_at_once_then_backs_off_and_starts_over) {
    broker_rotation r({"tcp://a:1883", "tcp://b:1883", "tcp://c:1883"});
    EXPECT_EQ(r.url(), "tcp://a:1883");
    EXPECT_TRUE(r.next_after_failure());
    EXPECT_EQ(r.url(), "tcp://b:1883");
    EXPECT_TRUE(r.next_after_failure());
    EXPECT_EQ(r.url(), "tcp://c:1883");
    EXPECT_FALSE(r.next_after_failure()) << "the whole list failed: back off";
    EXPECT_EQ(r.url(), "tcp://a:1883");
}

TEST(broker_rotation, a_lost_connection_starts_again_from_the_first) {
    broker_rotation r({"tcp://a:1883", "tcp://b:1883"});
    ASSERT_TRUE(r.next_after_failure());
    EXPECT_EQ(r.current(), 1u);
    r.restart();
    EXPECT_EQ(r.url(), "tcp://a:1883");
}

TEST(broker_rotation, one_broker_always_backs_off) {
    broker_rotation r({"tcp://a:1883"});
    EXPECT_FALSE(r.next_after_failure());
    EXPECT_EQ(r.url(), "tcp://a:1883");
}

TEST(broker_rotation, shows_urls_without_user_name_or_password) {
    broker_rotation r({"tcp://gateway:s3cret@a.lan:1883", "ssl://b.lan:8883/"});
    EXPECT_EQ(r.shown(), "tcp://a.lan:1883");
    EXPECT_EQ(r.url(), "tcp://gateway:s3cret@a.lan:1883");
    r.next_after_failure();
    EXPECT_EQ(r.shown(), "ssl://b.lan:8883/");
    EXPECT_EQ(url_without_userinfo("tcp://u@h:1"), "tcp://h:1");
    EXPECT_EQ(url_without_userinfo("tcp://h:1/p@x"), "tcp://h:1/p@x");
}

}  // namespace
}  // namespace sb
