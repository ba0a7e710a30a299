#include "ingest/mqtt_codec.hpp"

namespace sb::mqtt_codec {
namespace {

void put_u8(std::string& out, unsigned v) { out.push_back(static_cast<char>(v & 0xff)); }

void put_u16(std::string& out, unsigned v) {
    put_u8(out, v >> 8);
    put_u8(out, v);
}

void put_str(std::string& out, std::string_view s) {
    put_u16(out, static_cast<unsigned>(s.size()));
    out.append(s.data(), s.size());
}

void put_remaining_length(std::string& out, std::size_t n) {
    do {
        unsigned byte = n % 128;
        n /= 128;
        if (n > 0) byte |= 0x80;
        put_u8(out, byte);
    } while (n > 0);
}

void put_fixed_header(std::string& out, packet_type t, unsigned flags, std::size_t remaining) {
    put_u8(out, (static_cast<unsigned>(t) << 4) | flags);
    put_remaining_length(out, remaining);
}

unsigned get_u16(std::string_view s, std::size_t at) {
    return (static_cast<unsigned>(static_cast<unsigned char>(s[at])) << 8) |
           static_cast<unsigned char>(s[at + 1]);
}

}  // namespace

void encode_connect(std::string& out, const connect_fields& f) {
    const bool with_user = !f.username.empty();
    const bool with_password = with_user && !f.password.empty();
    std::size_t remaining = 10 + 2 + f.client_id.size();
    if (with_user) remaining += 2 + f.username.size();
    if (with_password) remaining += 2 + f.password.size();
    put_fixed_header(out, packet_type::connect, 0, remaining);
    put_str(out, "MQTT");
    put_u8(out, 4);  // protocol level 3.1.1
    unsigned flags = 0;
    if (f.clean_session) flags |= 0x02;
    if (with_password) flags |= 0x40;
    if (with_user) flags |= 0x80;
    put_u8(out, flags);
    put_u16(out, f.keep_alive_s);
    put_str(out, f.client_id);
    if (with_user) put_str(out, f.username);
    if (with_password) put_str(out, f.password);
}

void encode_subscribe(std::string& out, std::uint16_t packet_id, std::string_view filter, int qos) {
    put_fixed_header(out, packet_type::subscribe, 0x2, 2 + 2 + filter.size() + 1);
    put_u16(out, packet_id);
    put_str(out, filter);
    put_u8(out, static_cast<unsigned>(qos));
}

void encode_unsubscribe(std::string& out, std::uint16_t packet_id, std::string_view filter) {
    put_fixed_header(out, packet_type::unsubscribe, 0x2, 2 + 2 + filter.size());
    put_u16(out, packet_id);
    put_str(out, filter);
}

void encode_publish_qos0(std::string& out, std::string_view topic, std::string_view payload) {
    put_fixed_header(out, packet_type::publish, 0, 2 + topic.size() + payload.size());
    put_str(out, topic);
    out.append(payload.data(), payload.size());
}

void encode_ack(std::string& out, packet_type type, std::uint16_t packet_id) {
    put_fixed_header(out, type, 0, 2);
    put_u16(out, packet_id);
}

void encode_pingreq(std::string& out) { put_fixed_header(out, packet_type::pingreq, 0, 0); }

void encode_disconnect(std::string& out) { put_fixed_header(out, packet_type::disconnect, 0, 0); }

decode_status decode(std::string_view data, std::size_t max_total, packet& p) {
    if (data.size() < 2) return decode_status::need_more;
    std::size_t remaining = 0;
    std::size_t multiplier = 1;
    std::size_t i = 1;
    for (;; ++i) {
        if (i > 4) return decode_status::malformed;
        if (i >= data.size()) return decode_status::need_more;
        const auto byte = static_cast<unsigned char>(data[i]);
        remaining += (byte & 0x7f) * multiplier;
        multiplier *= 128;
        if ((byte & 0x80) == 0) break;
    }
    p.header = static_cast<std::uint8_t>(data[0]);
    p.total = i + 1 + remaining;
    p.body = data.substr(i + 1, remaining);
    if (p.total > max_total) return decode_status::too_large;
    if (data.size() < p.total) return decode_status::need_more;
    return decode_status::ok;
}

bool parse_publish(std::uint8_t header, std::string_view body, publish_view& out) {
    out.qos = (header >> 1) & 0x3;
    out.retain = (header & 0x1) != 0;
    out.dup = (header & 0x8) != 0;
    if (out.qos == 3 || body.size() < 2) return false;
    const std::size_t topic_len = get_u16(body, 0);
    std::size_t at = 2 + topic_len;
    if (body.size() < at) return false;
    out.topic = body.substr(2, topic_len);
    out.packet_id = 0;
    if (out.qos > 0) {
        if (body.size() < at + 2) return false;
        out.packet_id = static_cast<std::uint16_t>(get_u16(body, at));
        at += 2;
    }
    out.payload = body.substr(at);
    return true;
}

int parse_connack(std::string_view body) {
    if (body.size() != 2) return -1;
    return static_cast<unsigned char>(body[1]);
}

bool parse_suback(std::string_view body, std::uint16_t& packet_id, std::uint8_t& code) {
    if (body.size() < 3) return false;
    packet_id = static_cast<std::uint16_t>(get_u16(body, 0));
    code = static_cast<std::uint8_t>(body[2]);
    return true;
}

bool parse_packet_id(std::string_view body, std::uint16_t& packet_id) {
    if (body.size() != 2) return false;
    packet_id = static_cast<std::uint16_t>(get_u16(body, 0));
    return true;
}

const char* connack_reason(int code) noexcept {
    switch (code) {
        case 0: return "accepted";
        case 1: return "unacceptable protocol version";
        case 2: return "identifier rejected";
        case 3: return "server unavailable";
        case 4: return "bad user name or password";
        case 5: return "not authorized";
        default: return "malformed CONNACK";
    }
}

}  // namespace sb::mqtt_codec
