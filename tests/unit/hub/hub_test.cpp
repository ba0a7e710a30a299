#include "hub/hub.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <vector>

namespace sb {
namespace {

struct fake_client : hub_client {
    std::vector<std::string> got;
    void deliver(const std::string&, const out_message_ptr& f, message_kind) override { got.push_back(f->text()); }
};

room R(const char* name) { return *room::parse(name); }

class hub_fixture : public ::testing::Test {
protected:
    hub h{4};
    std::shared_ptr<fake_client> a = std::make_shared<fake_client>();
    std::shared_ptr<fake_client> b = std::make_shared<fake_client>();
    hub::client_id ia = h.connect(a);
    hub::client_id ib = h.connect(b);
};

TEST_F(hub_fixture, delivers_only_to_matching_rooms) {
    h.subscribe(ia, R("sensor:temp-1"));
    h.subscribe(ib, R("sensor:temp-2"));
    h.publish("temp-1", make_text_message("r1"));
    EXPECT_EQ(a->got, std::vector<std::string>{"r1"});
    EXPECT_TRUE(b->got.empty());
}

TEST_F(hub_fixture, prefix_and_all_rooms_match) {
    h.subscribe(ia, R("sensor:kitchen.*"));
    h.subscribe(ib, R("sensor:*"));
    h.publish("kitchen.temp", make_text_message("k"));
    h.publish("porch.temp", make_text_message("p"));
    EXPECT_EQ(a->got, std::vector<std::string>{"k"});
    EXPECT_EQ(b->got, (std::vector<std::string>{"k", "p"}));
}

TEST_F(hub_fixture, overlapping_rooms_deliver_once) {
    h.subscribe(ia, R("sensor:*"));
    h.subscribe(ia, R("sensor:temp-1"));
    h.subscribe(ia, R("sensor:temp*"));
    h.publish("temp-1", make_text_message("once"));
    EXPECT_EQ(a->got.size(), 1u);
}

TEST_F(hub_fixture, the_same_frame_object_goes_to_every_subscriber) {
    struct recorder : hub_client {
        const out_message* seen = nullptr;
        void deliver(const std::string&, const out_message_ptr& f, message_kind) override { seen = f.get(); }
    };
    auto r1 = std::make_shared<recorder>();
    auto r2 = std::make_shared<recorder>();
    h.subscribe(h.connect(r1), R("sensor:x"));
    h.subscribe(h.connect(r2), R("sensor:x"));
    auto f = make_text_message("x");
    h.publish("x", f);
    EXPECT_EQ(r1->seen, f.get());
    EXPECT_EQ(r2->seen, f.get());
}

TEST_F(hub_fixture, unsubscribe_stops_delivery) {
    h.subscribe(ia, R("sensor:temp-1"));
    EXPECT_TRUE(h.unsubscribe(ia, R("sensor:temp-1")));
    EXPECT_FALSE(h.unsubscribe(ia, R("sensor:temp-1")));
    h.publish("temp-1", make_text_message("r"));
    EXPECT_TRUE(a->got.empty());
    EXPECT_EQ(h.subscription_count(), 0u);
}

TEST_F(hub_fixture, subscriptions_are_bounded_per_client) {
    EXPECT_EQ(h.subscribe(ia, R("sensor:a")), subscribe_status::subscribed);
    EXPECT_EQ(h.subscribe(ia, R("sensor:a")), subscribe_status::already_subscribed);
    h.subscribe(ia, R("sensor:b"));
    h.subscribe(ia, R("sensor:c"));
    h.subscribe(ia, R("sensor:d"));
    EXPECT_EQ(h.subscribe(ia, R("sensor:e")), subscribe_status::too_many);
    EXPECT_EQ(h.subscription_count(), 4u);
}

TEST_F(hub_fixture, disconnect_removes_every_subscription) {
    h.subscribe(ia, R("sensor:a"));
    h.subscribe(ia, R("sensor:*"));
    h.subscribe(ib, R("sensor:a"));
    h.disconnect(ia);
    EXPECT_EQ(h.subscription_count(), 1u);
    EXPECT_EQ(h.client_count(), 1u);
    h.publish("a", make_text_message("r"));
    EXPECT_TRUE(a->got.empty());
    EXPECT_EQ(b->got.size(), 1u);
}

TEST_F(hub_fixture, a_destroyed_client_is_skipped) {
    h.subscribe(ia, R("sensor:a"));
    a.reset();
    h.publish("a", make_text_message("r"));  // must not crash
    EXPECT_EQ(h.frames_sent(), 0u);
}

}  // namespace
}  // namespace sb
