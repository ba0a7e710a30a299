#pragma once
// MQTT 3.1.1 packets, the subset a subscriber needs: pure encode/decode functions over byte
// buffers, no I/O, no allocation beyond appending to the caller's output string.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sb::mqtt_codec {

enum class packet_type : std::uint8_t {
    connect = 1,
    connack = 2,
    publish = 3,
    puback = 4,
    pubrec = 5,
    pubrel = 6,
    pubcomp = 7,
    subscribe = 8,
    suback = 9,
    unsubscribe = 10,
    unsuback = 11,
    pingreq = 12,
    pingresp = 13,
    disconnect = 14,
};

struct connect_fields {
    std::string_view client_id;
    bool clean_session = true;
    std::uint16_t keep_alive_s = 30;
    std::string_view username;  // sent when not empty
    std::string_view password;  // sent when not empty (needs a user name in 3.1.1)
};

void encode_connect(std::string& out, const connect_fields& f);
void encode_subscribe(std::string& out, std::uint16_t packet_id, std::string_view filter, int qos);
void encode_unsubscribe(std::string& out, std::uint16_t packet_id, std::string_view filter);
void encode_publish_qos0(std::string& out, std::string_view topic, std::string_view payload);
// PUBACK (QoS 1), PUBREC (QoS 2, first answer) or PUBCOMP (answer to PUBREL): a packet id.
void encode_ack(std::string& out, packet_type type, std::uint16_t packet_id);
void encode_pingreq(std::string& out);
void encode_disconnect(std::string& out);

struct packet {
    std::uint8_t header = 0;    // type << 4 | flags
    std::size_t total = 0;      // fixed header + remaining length
    std::string_view body;      // variable header + payload (complete only when decode says ok)
    packet_type type() const noexcept { return static_cast<packet_type>(header >> 4); }
    std::uint8_t flags() const noexcept { return header & 0x0f; }
};

enum class decode_status {
    ok,         // p describes a complete packet of p.total bytes at the start of data
    need_more,  // not even the fixed header is complete, or the packet is partial
    too_large,  // p.header and p.total are known; the packet exceeds max_total
    malformed,  // remaining length over 4 bytes: the stream cannot be resynchronised
};

// Looks at the packet at the start of data. For need_more with a known header, p.total holds
// the size the packet will have.
decode_status decode(std::string_view data, std::size_t max_total, packet& p);

struct publish_view {
    std::string_view topic;
    std::string_view payload;
    int qos = 0;
    std::uint16_t packet_id = 0;  // QoS 1 and 2 only
    bool retain = false;
    bool dup = false;
};

// body may be a prefix of the packet's body (an oversize packet): the topic and packet id
// must be in it; payload is what the prefix holds. False when malformed.
bool parse_publish(std::uint8_t header, std::string_view body, publish_view& out);

// CONNACK return code (0 accepted), or -1 when malformed.
int parse_connack(std::string_view body);

// SUBACK of a one-filter SUBSCRIBE: its packet id and granted code (0x80 = refused).
bool parse_suback(std::string_view body, std::uint16_t& packet_id, std::uint8_t& code);

// PUBACK/PUBREC/PUBREL/PUBCOMP/UNSUBACK carry just a packet id.
bool parse_packet_id(std::string_view body, std::uint16_t& packet_id);

const char* connack_reason(int code) noexcept;

}  // namespace sb::mqtt_codec
