#include "mqtt_codec.hpp"

#include <cstring>

namespace sb::bench::mqtt {
namespace {

void append_u16(std::string& out, std::uint16_t v) {
    out += static_cast<char>(v >> 8);
    out += static_cast<char>(v & 0xFF);
}

void append_string(std::string& out, std::string_view s) {
    append_u16(out, static_cast<std::uint16_t>(s.size()));
    out.append(s.data(), s.size());
}

void append_header(std::string& out, std::uint8_t first, std::size_t remaining) {
    char head[5];
    head[0] = static_cast<char>(first);
    out.append(head, 1 + write_varint(head + 1, remaining));
}

std::uint16_t read_u16(const char* p) noexcept {
    return static_cast<std::uint16_t>((static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]));
}

}  // namespace

std::size_t write_varint(char* out, std::size_t value) noexcept {
    std::size_t n = 0;
    do {
        auto byte = static_cast<unsigned char>(value % 128);
        value /= 128;
        if (value > 0) byte |= 0x80;
        out[n++] = static_cast<char>(byte);
    } while (value > 0 && n < 4);
    return n;
}

void append_connect(std::string& out, std::string_view client_id, std::uint16_t keepalive_s) {
    const std::size_t remaining = 10 + 2 + client_id.size();
    append_header(out, 0x10, remaining);
    append_string(out, "MQTT");
    out += static_cast<char>(4);     // protocol level 3.1.1
    out += static_cast<char>(0x02);  // clean session, no will, no credentials
    append_u16(out, keepalive_s);
    append_string(out, client_id);
}

void append_subscribe(std::string& out, std::uint16_t packet_id, const std::vector<std::string>& filters,
                      std::uint8_t qos) {
    std::size_t remaining = 2;
    for (const auto& f : filters) remaining += 2 + f.size() + 1;
    append_header(out, 0x82, remaining);
    append_u16(out, packet_id);
    for (const auto& f : filters) {
        append_string(out, f);
        out += static_cast<char>(qos);
    }
}

void append_ack(std::string& out, std::uint8_t first_byte, std::uint16_t packet_id) {
    out += static_cast<char>(first_byte);
    out += static_cast<char>(2);
    append_u16(out, packet_id);
}

std::size_t write_publish(char* out, std::string_view topic, std::uint8_t qos, std::uint16_t packet_id,
                          std::string_view payload) noexcept {
    const std::size_t remaining = 2 + topic.size() + (qos > 0 ? 2 : 0) + payload.size();
    char* p = out;
    *p++ = static_cast<char>(0x30 | (qos << 1));
    p += write_varint(p, remaining);
    *p++ = static_cast<char>(topic.size() >> 8);
    *p++ = static_cast<char>(topic.size() & 0xFF);
    std::memcpy(p, topic.data(), topic.size());
    p += topic.size();
    if (qos > 0) {
        *p++ = static_cast<char>(packet_id >> 8);
        *p++ = static_cast<char>(packet_id & 0xFF);
    }
    std::memcpy(p, payload.data(), payload.size());
    p += payload.size();
    return static_cast<std::size_t>(p - out);
}

bool parse_publish(const packet& p, publish_view& out) noexcept {
    const std::string_view b = p.body;
    if (b.size() < 2) return false;
    const std::size_t topic_len = read_u16(b.data());
    out.qos = static_cast<std::uint8_t>((p.first >> 1) & 0x03);
    if (out.qos == 3) return false;
    const std::size_t id_len = out.qos > 0 ? 2 : 0;
    if (b.size() < 2 + topic_len + id_len) return false;
    out.topic = b.substr(2, topic_len);
    out.packet_id = id_len > 0 ? read_u16(b.data() + 2 + topic_len) : 0;
    out.payload = b.substr(2 + topic_len + id_len);
    return true;
}

std::uint16_t packet_id_of(const packet& p) noexcept { return p.body.size() < 2 ? 0 : read_u16(p.body.data()); }

header_status header_parser::parse(const char* data, std::size_t n, unit_size& out) noexcept {
    if (n < 2) return header_status::need_more;
    std::size_t value = 0;
    std::size_t multiplier = 1;
    for (std::size_t i = 1; i <= 4; ++i) {
        if (i >= n) return header_status::need_more;
        const auto byte = static_cast<unsigned char>(data[i]);
        value += (byte & 0x7Fu) * multiplier;
        if ((byte & 0x80u) == 0) {
            out.header = i + 1;
            out.body = value;
            return header_status::ok;
        }
        multiplier *= 128;
    }
    return header_status::malformed;  // a fifth length byte
}

}  // namespace sb::bench::mqtt
