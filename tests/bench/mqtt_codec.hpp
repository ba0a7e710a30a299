#pragma once
// The few MQTT 3.1.1 packets the load tools need, encoded by hand (no client library: the
// publisher must be the thinnest thing in the measurement), and a packet cutter for reads.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "framed_stream.hpp"

namespace sb::bench::mqtt {

enum packet_type : std::uint8_t {
    connect = 1, connack = 2, publish = 3, puback = 4, pubrec = 5, pubrel = 6, pubcomp = 7,
    subscribe = 8, suback = 9, pingreq = 12, pingresp = 13, disconnect = 14,
};

constexpr std::size_t max_remaining_length = 268'435'455;
constexpr std::string_view pingreq_bytes{"\xC0\x00", 2};
constexpr std::string_view disconnect_bytes{"\xE0\x00", 2};

// Remaining-length varint at out (1..4 bytes); returns its size.
std::size_t write_varint(char* out, std::size_t value) noexcept;

void append_connect(std::string& out, std::string_view client_id, std::uint16_t keepalive_s);
void append_subscribe(std::string& out, std::uint16_t packet_id, const std::vector<std::string>& filters,
                      std::uint8_t qos);
// PUBACK (0x40), PUBREC (0x50), PUBREL (0x62), PUBCOMP (0x70): first byte + packet id.
void append_ack(std::string& out, std::uint8_t first_byte, std::uint16_t packet_id);

// Bytes a PUBLISH of this topic and payload size takes at most.
constexpr std::size_t publish_size_bound(std::size_t topic, std::size_t payload) noexcept {
    return 1 + 4 + 2 + topic + 2 + payload;
}
// A whole PUBLISH at out (packet_id used when qos > 0); returns its size.
std::size_t write_publish(char* out, std::string_view topic, std::uint8_t qos, std::uint16_t packet_id,
                          std::string_view payload) noexcept;

struct packet {
    std::uint8_t first = 0;
    std::string_view body;
    std::uint8_t type() const noexcept { return static_cast<std::uint8_t>(first >> 4); }
};

struct publish_view {
    std::string_view topic;
    std::string_view payload;
    std::uint8_t qos = 0;
    std::uint16_t packet_id = 0;
};

bool parse_publish(const packet& p, publish_view& out) noexcept;
// The packet id at the start of an ack's or SUBACK's body (0 when too short).
std::uint16_t packet_id_of(const packet& p) noexcept;

struct header_parser {
    static header_status parse(const char* data, std::size_t n, unit_size& out) noexcept;
};

// Cuts a byte stream into packets: on_packet(const packet&).
class packet_stream {
public:
    explicit packet_stream(std::size_t max_packet) : stream_(max_packet) {}

    template <class F>
    bool feed(const char* data, std::size_t n, F&& on_packet) {
        return stream_.feed(data, n, [&](const char* unit, unit_size size) {
            on_packet(packet{static_cast<std::uint8_t>(unit[0]), std::string_view(unit + size.header, size.body)});
        });
    }

private:
    framed_stream<header_parser> stream_;
};

}  // namespace sb::bench::mqtt
