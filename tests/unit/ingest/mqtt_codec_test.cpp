// MQTT 3.1.1 codec: byte-exact encodings and a decoder that never reads past its input.
#include "ingest/mqtt_codec.hpp"

#include <gtest/gtest.h>

#include <string>


namespace sb {
namespace {

using namespace mqtt_codec;

std::string bytes(std::initializer_list<int> b) {
    std::string s;
    for (int c : b) s.push_back(static_cast<char>(c));
    return s;
}

TEST(mqtt_codec, connect_with_user_and_password_matches_the_spec_layout) {
    std::string out;
    encode_connect(out, {"id", false, 30, "u", "pw"});
    EXPECT_EQ(out, bytes({0x10, 21, 0, 4, 'M', 'Q', 'T', 'T', 4, 0xC0, 0, 30, 0, 2, 'i', 'd', 0, 1, 'u', 0, 2, 'p', 'w'}));
}

TEST(mqtt_codec, connect_clean_session_without_credentials) {
    std::string out;
    encode_connect(out, {"c", true, 60, "", "ignored without a user"});
    EXPECT_EQ(out, bytes({0x10, 13, 0, 4, 'M', 'Q', 'T', 'T', 4, 0x02, 0, 60, 0, 1, 'c'}));
}

TEST(mqtt_codec, subscribe_puback_ping_disconnect) {
    std::string out;
    encode_subscribe(out, 0x0102, "a/#", 1);
    EXPECT_EQ(out, bytes({0x82, 8, 1, 2, 0, 3, 'a', '/', '#', 1}));
    out.clear();
    encode_ack(out, packet_type::puback, 0xBEEF);
    encode_pingreq(out);
    encode_disconnect(out);
    EXPECT_EQ(out, bytes({0x40, 2, 0xBE, 0xEF, 0xC0, 0, 0xE0, 0}));
}

TEST(mqtt_codec, qos2_answers_pubrec_and_pubcomp) {
    std::string out;
    encode_ack(out, packet_type::pubrec, 0x0102);
    encode_ack(out, packet_type::pubcomp, 0xFFFE);
    EXPECT_EQ(out, bytes({0x50, 2, 1, 2, 0x70, 2, 0xFF, 0xFE}));
}

TEST(mqtt_codec, remaining_length_uses_several_bytes_past_127) {
    std::string out;
    encode_publish_qos0(out, "t", std::string(200, 'x'));
    ASSERT_GE(out.size(), 3u);
    EXPECT_EQ(static_cast<unsigned char>(out[1]), 0x80 | (203 % 128));
    EXPECT_EQ(static_cast<unsigned char>(out[2]), 203 / 128);
    packet p;
    ASSERT_EQ(decode(out, 1 << 20, p), decode_status::ok);
    EXPECT_EQ(p.total, out.size());
    publish_view v;
    ASSERT_TRUE(parse_publish(p.header, p.body, v));
    EXPECT_EQ(v.topic, "t");
    EXPECT_EQ(v.payload, std::string(200, 'x'));
    EXPECT_EQ(v.qos, 0);
}

TEST(mqtt_codec, decode_asks_for_more_at_every_cut_of_a_packet) {
    std::string out;
    encode_publish_qos0(out, "sensors/a", "21.5");
    for (std::size_t n = 0; n < out.size(); ++n) {
        packet p;
        EXPECT_EQ(decode(std::string_view(out).substr(0, n), 1 << 20, p), decode_status::need_more) << n;
    }
}

TEST(mqtt_codec, qos1_publish_carries_its_packet_id) {
    const std::string in = bytes({0x32, 9, 0, 3, 'a', '/', 'b', 0x00, 0x07, '4', '2'});
    packet p;
    ASSERT_EQ(decode(in, 1 << 20, p), decode_status::ok);
    publish_view v;
    ASSERT_TRUE(parse_publish(p.header, p.body, v));
    EXPECT_EQ(v.qos, 1);
    EXPECT_EQ(v.packet_id, 7);
    EXPECT_EQ(v.topic, "a/b");
    EXPECT_EQ(v.payload, "42");
}

TEST(mqtt_codec, bad_input_is_refused_not_overread) {
    packet p;
    EXPECT_EQ(decode(bytes({0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}), 1 << 30, p), decode_status::malformed);
    EXPECT_EQ(decode(bytes({0x30, 0xFF, 0x7F}), 1000, p), decode_status::too_large);
    EXPECT_EQ(p.total, 3u + 16383u);
    publish_view v;
    EXPECT_FALSE(parse_publish(0x30, bytes({0, 9, 'a'}), v)) << "topic longer than the body";
    EXPECT_FALSE(parse_publish(0x32, bytes({0, 1, 'a', 0}), v)) << "QoS 1 without a whole packet id";
    EXPECT_FALSE(parse_publish(0x36, bytes({0, 1, 'a', 0, 1}), v)) << "QoS 3 does not exist";
    EXPECT_EQ(parse_connack(bytes({0})), -1);
    EXPECT_EQ(parse_connack(bytes({0, 5})), 5);
    EXPECT_STREQ(connack_reason(5), "not authorized");
    std::uint16_t id = 0;
    std::uint8_t code = 0;
    EXPECT_FALSE(parse_suback(bytes({0, 1}), id, code));
    ASSERT_TRUE(parse_suback(bytes({0, 1, 0x80}), id, code));
    EXPECT_EQ(code, 0x80);
}

}  // namespace
}  // namespace sb
