// The built-in client's protocol without a socket: bytes from the broker in, events and reply
// bytes out. Covers the session phases, acknowledgements per QoS, framing across reads, the
// oversize PUBLISH and the errors that drop a connection.
#include "ingest/mqtt_client_protocol.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace sb {
namespace {

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b) s.push_back(static_cast<char>(c));
    return s;
}

// A PUBLISH packet (remaining length under 128).
std::string publish(const std::string& topic, const std::string& payload, int qos = 0, int id = 0) {
    std::string body;
    body.push_back(static_cast<char>(topic.size() >> 8));
    body.push_back(static_cast<char>(topic.size() & 0xff));
    body += topic;
    if (qos > 0) body += bytes({id >> 8, id & 0xff});
    body += payload;
    return bytes({0x30 | (qos << 1), static_cast<int>(body.size())}) + body;
}

mqtt_codec::connect_fields hello() {
    mqtt_codec::connect_fields f;
    f.client_id = "bridge";
    return f;
}

struct events final : mqtt_protocol_events {
    void on_accepted() override { ++accepted; }
    void on_subscribed(std::size_t g, std::size_t r) override { subscribed.emplace_back(g, r); }
    void on_publish(const mqtt_codec::publish_view& p) override {
        messages.emplace_back(std::string(p.topic), std::string(p.payload));
        if (halt_after_publish) halt = true;
    }
    bool halted() const override { return halt; }
    int accepted = 0;
    std::vector<std::pair<std::size_t, std::size_t>> subscribed;
    std::vector<std::pair<std::string, std::string>> messages;
    bool halt = false;
    bool halt_after_publish = false;
};

class mqtt_client_protocol_test : public ::testing::Test {
protected:
    mqtt_client_protocol_test() : protocol_({"sensors/#", "tele/+/SENSOR"}, 1, 64, events_) {}

    void connect_up() {
        protocol_.begin(hello(), out_);
        out_.clear();
        feed(bytes({0x20, 2, 0, 0}) + bytes({0x90, 3, 0, 1, 1}) + bytes({0x90, 3, 0, 2, 1}));
        out_.clear();
    }
    mqtt_client_protocol::feed_result feed(const std::string& data, bool full = false) {
        return protocol_.feed(data, full, out_);
    }

    events events_;
    mqtt_client_protocol protocol_;
    std::string out_;
};

TEST_F(mqtt_client_protocol_test, connack_subscribes_each_filter_and_the_last_suback_brings_it_up) {
    protocol_.begin(hello(), out_);
    ASSERT_FALSE(out_.empty());
    EXPECT_EQ(static_cast<unsigned char>(out_[0]), 0x10);  // CONNECT
    EXPECT_EQ(protocol_.current(), mqtt_client_protocol::phase::handshake);
    out_.clear();
    auto r = feed(bytes({0x20, 2, 0, 0}));
    EXPECT_FALSE(r.stop);
    EXPECT_EQ(events_.accepted, 1);
    EXPECT_EQ(protocol_.current(), mqtt_client_protocol::phase::subscribing);
    EXPECT_NE(out_.find("sensors/#"), std::string::npos);
    EXPECT_NE(out_.find("tele/+/SENSOR"), std::string::npos);
    feed(bytes({0x90, 3, 0, 1, 1}));
    EXPECT_TRUE(events_.subscribed.empty());
    feed(bytes({0x90, 3, 0, 2, 0x80}));  // the second filter refused
    ASSERT_EQ(events_.subscribed.size(), 1u);
    EXPECT_EQ(events_.subscribed[0], std::make_pair(std::size_t{1}, std::size_t{1}));
    EXPECT_EQ(protocol_.current(), mqtt_client_protocol::phase::up);
}

TEST_F(mqtt_client_protocol_test, a_refused_connack_drops_the_connection_with_the_reason) {
    protocol_.begin(hello(), out_);
    auto r = feed(bytes({0x20, 2, 0, 5}));
    EXPECT_TRUE(r.stop);
    EXPECT_EQ(r.error.rfind("broker refused the connection: ", 0), 0u) << r.error;
    EXPECT_EQ(events_.accepted, 0);
}

TEST_F(mqtt_client_protocol_test, publishes_are_delivered_then_acknowledged_by_qos) {
    connect_up();
    auto r = feed(publish("sensors/a", "1") + publish("sensors/b", "2", 1, 0x0102) + publish("sensors/c", "3", 2, 7));
    EXPECT_EQ(r.packets, 3u);
    ASSERT_EQ(events_.messages.size(), 3u);
    EXPECT_EQ(events_.messages[1], std::make_pair(std::string("sensors/b"), std::string("2")));
    EXPECT_EQ(out_, bytes({0x40, 2, 1, 2, 0x50, 2, 0, 7}));  // PUBACK, then PUBREC
    out_.clear();
    feed(bytes({0x62, 2, 0, 7}));  // PUBREL
    EXPECT_EQ(out_, bytes({0x70, 2, 0, 7}));  // PUBCOMP
}

TEST_F(mqtt_client_protocol_test, a_packet_split_across_reads_waits_for_its_rest) {
    connect_up();
    const std::string p = publish("sensors/a", "21.5");
    auto r = feed(p.substr(0, 5));
    EXPECT_EQ(r.consumed, 0u);
    EXPECT_TRUE(events_.messages.empty());
    r = feed(p + publish("sensors/b", "1").substr(0, 3));
    EXPECT_EQ(r.consumed, p.size());
    EXPECT_EQ(events_.messages.size(), 1u);
}

TEST_F(mqtt_client_protocol_test, an_oversize_publish_is_delivered_truncated_and_its_rest_skipped) {
    connect_up();
    const std::string big = publish("sensors/big", std::string(100, 'x'));  // over max_packet 64
    auto r = feed(big.substr(0, 64), true);
    EXPECT_EQ(r.consumed, 64u);
    ASSERT_EQ(events_.messages.size(), 1u);
    EXPECT_EQ(events_.messages[0].first, "sensors/big");
    EXPECT_LT(events_.messages[0].second.size(), 100u);
    r = feed(big.substr(64) + publish("sensors/next", "1"));
    EXPECT_EQ(r.consumed, big.size() - 64 + publish("sensors/next", "1").size());
    ASSERT_EQ(events_.messages.size(), 2u);
    EXPECT_EQ(events_.messages[1].first, "sensors/next");
}

TEST_F(mqtt_client_protocol_test, a_malformed_length_or_an_unexpected_packet_drops_the_connection) {
    connect_up();
    auto r = feed(bytes({0x30, 0xff, 0xff, 0xff, 0xff, 0x01}));
    EXPECT_TRUE(r.stop);
    EXPECT_EQ(r.error, "malformed packet from the broker");
    mqtt_client_protocol other({"a"}, 1, 64, events_);
    r = other.feed(bytes({0x10, 0}), false, out_);  // a CONNECT from the broker
    EXPECT_TRUE(r.stop);
    EXPECT_NE(r.error.find("unexpected packet type 1"), std::string::npos);
}

TEST_F(mqtt_client_protocol_test, nothing_more_is_handled_once_the_source_halted) {
    connect_up();
    events_.halt_after_publish = true;
    auto r = feed(publish("sensors/a", "1") + publish("sensors/b", "2"));
    EXPECT_TRUE(r.stop);
    EXPECT_TRUE(r.error.empty());
    EXPECT_EQ(events_.messages.size(), 1u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Home Assistant discovery adds and drops exact topics at run time: SUBSCRIBE / UNSUBSCRIBE at
// once while up, nothing while down, and every added topic again after the next CONNACK.
TEST_F(mqtt_client_protocol_test, topics_added_at_run_time_are_subscribed_now_and_after_every_connack) {
    protocol_.add_topic("custom/attic/t", out_);
    EXPECT_TRUE(out_.empty()) << "no session: nothing to send yet";
    protocol_.begin(hello(), out_);
    out_.clear();
    feed(bytes({0x20, 2, 0, 0}));
    EXPECT_NE(out_.find("custom/attic/t"), std::string::npos) << "subscribed with the configured filters";
    out_.clear();
    feed(bytes({0x90, 3, 0, 3, 1}) + bytes({0x90, 3, 0, 4, 1}));
    EXPECT_NE(protocol_.current(), mqtt_client_protocol::phase::up) << "waits for the third SUBACK";
    feed(bytes({0x90, 3, 0, 5, 1}));
    EXPECT_EQ(protocol_.current(), mqtt_client_protocol::phase::up);
    EXPECT_EQ(events_.subscribed.back(), std::make_pair(std::size_t{3}, std::size_t{0}));

    protocol_.add_topic("custom/porch/t", out_);
    ASSERT_FALSE(out_.empty());
    EXPECT_EQ(static_cast<unsigned char>(out_[0]), 0x82);  // SUBSCRIBE
    EXPECT_NE(out_.find("custom/porch/t"), std::string::npos);
    out_.clear();
    protocol_.add_topic("custom/porch/t", out_);
    EXPECT_TRUE(out_.empty()) << "a topic already read is not subscribed twice";
    protocol_.remove_topic("custom/attic/t", out_);
    ASSERT_FALSE(out_.empty());
    EXPECT_EQ(static_cast<unsigned char>(out_[0]), 0xA2);  // UNSUBSCRIBE
    EXPECT_NE(out_.find("custom/attic/t"), std::string::npos);
    EXPECT_EQ(protocol_.extra_topics(), 1u);
}

}  // namespace
}  // namespace sb
