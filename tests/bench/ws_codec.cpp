#include "ws_codec.hpp"

#include <websocketpp/base64/base64.hpp>
#include <websocketpp/sha1/sha1.hpp>

#include <cctype>
#include <cstring>

namespace sb::bench::ws {
namespace {

constexpr std::string_view accept_guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

std::uint64_t splitmix(std::uint64_t& state) noexcept {
    std::uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) {
            return false;
        }
    }
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

// The value of header name in head, or nullopt-like empty with found=false.
bool header_value(std::string_view head, std::string_view name, std::string_view& value) {
    std::size_t pos = head.find('\n');
    while (pos != std::string_view::npos && pos + 1 < head.size()) {
        const std::size_t start = pos + 1;
        const std::size_t end = head.find('\n', start);
        const std::string_view line = head.substr(start, (end == std::string_view::npos ? head.size() : end) - start);
        const std::size_t colon = line.find(':');
        if (colon != std::string_view::npos && iequals(trim(line.substr(0, colon)), name)) {
            value = trim(line.substr(colon + 1));
            return true;
        }
        pos = end;
    }
    return false;
}

}  // namespace

std::string handshake_key(std::uint64_t seed) {
    std::uint64_t state = seed;
    unsigned char raw[16];
    const std::uint64_t a = splitmix(state);
    const std::uint64_t b = splitmix(state);
    std::memcpy(raw, &a, 8);
    std::memcpy(raw + 8, &b, 8);
    return websocketpp::base64_encode(raw, sizeof raw);
}

void append_handshake_request(std::string& out, std::string_view host, std::string_view path,
                              std::string_view key, std::string_view subprotocol) {
    out.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(host);
    out.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: ");
    out.append(key).append("\r\n");
    if (!subprotocol.empty()) out.append("Sec-WebSocket-Protocol: ").append(subprotocol).append("\r\n");
    out.append("\r\n");
}

std::string check_handshake_response(std::string_view head, std::string_view key) {
    const std::string_view status_line = trim(head.substr(0, head.find('\n')));
    if (status_line.size() < 12 || status_line.substr(0, 5) != "HTTP/" || status_line.substr(9, 3) != "101") {
        return "handshake refused: " + std::string(status_line.substr(0, 80));
    }
    std::string_view upgrade;
    if (!header_value(head, "Upgrade", upgrade) || !iequals(upgrade, "websocket")) {
        return "handshake: no Upgrade: websocket";
    }
    std::string material(key);
    material.append(accept_guid);
    unsigned char digest[20];
    websocketpp::sha1::calc(material.data(), material.size(), digest);
    std::string_view accept;
    if (!header_value(head, "Sec-WebSocket-Accept", accept) || accept != websocketpp::base64_encode(digest, 20)) {
        return "handshake: wrong Sec-WebSocket-Accept";
    }
    return {};
}

void append_frame(std::string& out, opcode op, std::string_view payload, std::uint32_t mask) {
    char head[14];
    std::size_t n = 0;
    head[n++] = static_cast<char>(0x80 | op);
    const std::size_t len = payload.size();
    if (len < 126) {
        head[n++] = static_cast<char>(0x80 | len);
    } else if (len <= 0xFFFF) {
        head[n++] = static_cast<char>(0x80 | 126);
        head[n++] = static_cast<char>(len >> 8);
        head[n++] = static_cast<char>(len & 0xFF);
    } else {
        head[n++] = static_cast<char>(0x80 | 127);
        for (int shift = 56; shift >= 0; shift -= 8) head[n++] = static_cast<char>((static_cast<std::uint64_t>(len) >> shift) & 0xFF);
    }
    unsigned char key[4];
    std::memcpy(key, &mask, 4);
    std::memcpy(head + n, key, 4);
    n += 4;
    out.append(head, n);
    const std::size_t at = out.size();
    out.append(payload.data(), len);
    for (std::size_t i = 0; i < len; ++i) out[at + i] = static_cast<char>(static_cast<unsigned char>(out[at + i]) ^ key[i & 3]);
}

header_status header_parser::parse(const char* data, std::size_t n, unit_size& out) noexcept {
    if (n < 2) return header_status::need_more;
    const auto b0 = static_cast<unsigned char>(data[0]);
    const auto b1 = static_cast<unsigned char>(data[1]);
    if ((b0 & 0x70) != 0 || (b1 & 0x80) != 0) return header_status::malformed;  // RSV bits, masked
    std::uint64_t len = b1 & 0x7F;
    std::size_t header = 2;
    if (len == 126) {
        header = 4;
        if (n < header) return header_status::need_more;
        len = (static_cast<unsigned char>(data[2]) << 8) | static_cast<unsigned char>(data[3]);
    } else if (len == 127) {
        header = 10;
        if (n < header) return header_status::need_more;
        len = 0;
        for (int i = 2; i < 10; ++i) len = (len << 8) | static_cast<unsigned char>(data[i]);
        if (len > (std::uint64_t{1} << 40)) return header_status::malformed;
    }
    out.header = header;
    out.body = static_cast<std::size_t>(len);
    return header_status::ok;
}

}  // namespace sb::bench::ws
