#pragma once
// A minimal RFC 6455 client codec: the opening handshake (request and a checked 101), masked
// client frames, and a cutter for the server's (unmasked) frames. Just enough for a load tool
// that holds tens of thousands of connections in a few hundred bytes each.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "framed_stream.hpp"

namespace sb::bench::ws {

enum opcode : std::uint8_t { continuation = 0, text = 1, binary = 2, close = 8, ping = 9, pong = 10 };

// The Sec-WebSocket-Key of a connection, derived from a seed so it need not be stored.
std::string handshake_key(std::uint64_t seed);

void append_handshake_request(std::string& out, std::string_view host, std::string_view path,
                              std::string_view key, std::string_view subprotocol);

// Checks a response head (up to the blank line): status 101, Upgrade: websocket and the
// Sec-WebSocket-Accept that matches key. Empty when good, else the reason.
std::string check_handshake_response(std::string_view head, std::string_view key);

// A masked client frame (FIN set) appended to out.
void append_frame(std::string& out, opcode op, std::string_view payload, std::uint32_t mask);

struct frame {
    std::uint8_t op = 0;
    bool fin = true;
    std::string_view payload;
};

struct header_parser {
    // Server frames must not be masked (RFC 6455 5.1): a masked one is malformed.
    static header_status parse(const char* data, std::size_t n, unit_size& out) noexcept;
};

// Cuts a byte stream into frames: on_frame(const frame&).
class frame_stream {
public:
    explicit frame_stream(std::size_t max_frame) : stream_(max_frame) {}

    template <class F>
    bool feed(const char* data, std::size_t n, F&& on_frame) {
        return stream_.feed(data, n, [&](const char* unit, unit_size size) {
            const auto b0 = static_cast<unsigned char>(unit[0]);
            on_frame(frame{static_cast<std::uint8_t>(b0 & 0x0F), (b0 & 0x80) != 0,
                           std::string_view(unit + size.header, size.body)});
        });
    }

private:
    framed_stream<header_parser> stream_;
};

}  // namespace sb::bench::ws
