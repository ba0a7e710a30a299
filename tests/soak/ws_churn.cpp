// ws-churn: WebSocket and REST connect/disconnect churn against a running bridge, for the soak
// run (scripts/soak.sh). Workers loop over the ways a client comes and goes: a polite close, an
// abrupt one, a protocol error, a stalled reader, a slow reader, a resume, bad client messages,
// a REST request and a bad one. Prints what it did; exits 1 when the bridge refused or failed
// something it should have served, or answered bad input otherwise than docs/PROTOCOL.md says.
//
//   ws-churn --port 8080 --seconds 60 [--workers 6]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "support/raw_ws_socket.hpp"

namespace {

using namespace std::chrono_literals;
using sb_it::raw_ws_socket;

struct counters {
    std::atomic<long> polite{0}, abrupt{0}, protocol_error{0}, stalled{0}, slow_kept{0}, slow_closed{0},
        slow_dropped{0}, resumed{0}, bad_input{0}, rest{0}, bad_rest{0}, failures{0};
};

std::string subscribe(const std::string& room, const std::string& extra = "") {
    return R"({"type":"subscribe","payload":{"room":")" + room + "\"" + extra + "}}";
}

// The code of a close frame's payload (at least 2 bytes).
int close_code(const std::string& payload) {
    return (static_cast<std::uint8_t>(payload[0]) << 8) | static_cast<std::uint8_t>(payload[1]);
}

// Handshake and the `connected` welcome; false (counted by the caller) when refused.
bool open(raw_ws_socket& s) {
    if (s.handshake() != 101) return false;
    const auto welcome = s.next_frame(3000ms);
    return welcome && welcome->first == 0x1;
}

bool polite(std::uint16_t port) {
    raw_ws_socket s(port);
    if (!open(s) || !s.send_text(subscribe("sensor:*"))) return false;
    for (int i = 0; i < 20 && s.next_frame(20ms); ++i) {
    }
    s.send_frame(0x88, std::string("\x03\xe8", 2) + "bye");
    return s.read_until_close(3000ms).saw_close_frame;
}

bool abrupt(std::uint16_t port) {
    raw_ws_socket s(port);
    if (!open(s) || !s.send_text(subscribe("sensor:dev-*"))) return false;
    s.next_frame(50ms);
    return true;  // the destructor closes the TCP connection without a close frame
}

bool protocol_error(std::uint16_t port) {
    raw_ws_socket s(port);
    if (!open(s)) return false;
    s.send_frame(0xC1, R"({"type":"ping"})");  // RSV1 without an extension
    const auto end = s.read_until_close(3000ms);
    return end.saw_close_frame && end.code == 1002;
}

bool stalled(std::uint16_t port) {
    raw_ws_socket s(port, 4096);
    if (!open(s) || !s.send_text(subscribe("sensor:*"))) return false;
    std::this_thread::sleep_for(1500ms);  // reads nothing: the server conflates or closes it
    return true;
}

// Reads, but slower than readings arrive (a frame every 5 ms, ~200/s against the soak's ~300/s),
// and answers protocol pings when it gets to them: what is owed to it grows until the bridge
// conflates it. It ends with our close (1000); or the bridge's: a slow consumer (4008), or a ping
// answered too late behind the backlog (1001 `pong timeout`, the TCP connection dropped at once,
// so often a reset before the close frame is read), as docs/PROTOCOL.md §3 and §5 say. Counted by
// how it ended; `subscribed` and the snapshot come first, so it always reads something.
bool slow(std::uint16_t port, counters& c) {
    raw_ws_socket s(port, 4096);
    if (!open(s) || !s.send_text(subscribe("sensor:*"))) return false;
    int code = 0;
    bool dropped = false;
    std::size_t frames = 0;
    const auto until = std::chrono::steady_clock::now() + 3s;
    while (code == 0 && !dropped && std::chrono::steady_clock::now() < until) {
        const auto f = s.next_frame(200ms);  // none for a while during a broker event
        if (!f) dropped = s.ended();
        else if (f->first == 0x9) s.send_frame(0x8A, f->second);
        else if (f->first == 0x8) code = f->second.size() >= 2 ? close_code(f->second) : 1005;
        else ++frames;
        std::this_thread::sleep_for(5ms);
    }
    if (code == 0 && !dropped) {
        s.send_frame(0x88, std::string("\x03\xe8", 2));
        const auto end = s.read_until_close(5000ms);
        frames += end.data_frames;
        if (end.saw_close_frame) code = end.code;
        else dropped = end.eof;
    }
    if (code == 1000) ++c.slow_kept;
    else if (code == 4008) ++c.slow_closed;
    else if (code == 1001 || (code == 0 && dropped)) ++c.slow_dropped;
    else std::fprintf(stderr, "ws-churn: a slow reader ended with %d\n", code);
    return frames > 0 && (code == 1000 || code == 4008 || code == 1001 || (code == 0 && dropped));
}

bool resumed(std::uint16_t port) {
    raw_ws_socket s(port);
    if (!open(s)) return false;
    s.send_text(subscribe("sensor:temp-1", R"(,"since":1)"));
    s.send_text(R"({"type":"ping","id":"p"})");
    s.send_text(R"({"type":"unsubscribe","payload":{"room":"sensor:temp-1"}})");
    s.send_frame(0x88, std::string("\x03\xe8", 2));
    return s.read_until_close(3000ms).saw_close_frame;
}

// The next frame that is not a protocol ping or pong.
std::optional<std::pair<int, std::string>> next_message(raw_ws_socket& s) {
    for (int i = 0; i < 8; ++i) {
        auto f = s.next_frame(3000ms);
        if (!f || (f->first != 0x9 && f->first != 0xA)) return f;
    }
    return std::nullopt;
}

// Bad client messages, each answered with its `error` on a connection that stays open
// (docs/PROTOCOL.md §4); then one that ends it: a text message that is not UTF-8 (1007) or one
// over 4 KiB (1009, §5).
bool bad_input(std::uint16_t port, long round) {
    raw_ws_socket s(port);
    if (!open(s)) return false;
    const std::pair<std::uint8_t, std::string> messages[] = {
        {0x81, "{not json"},
        {0x81, R"({"type":"ping","type":"subscribe"})"},
        {0x81, R"({"type":"dance","id":"d"})"},
        {0x81, R"({"type":"subscribe","payload":{"room":"kitchen"}})"},
        {0x81, R"({"type":"subscribe","payload":{"room":"sensor:t","maxRateHz":"fast"}})"},
        {0x82, R"({"type":"ping"})"},
    };
    const char* codes[] = {"BAD_JSON", "BAD_JSON", "UNKNOWN_TYPE", "BAD_ROOM", "BAD_JSON", "BAD_JSON"};
    for (std::size_t i = 0; i < std::size(messages); ++i) {
        if (!s.send_frame(messages[i].first, messages[i].second)) return false;
        const auto reply = next_message(s);
        if (!reply || reply->first != 0x1 ||
            reply->second.find(std::string(R"("code":")") + codes[i] + '"') == std::string::npos) {
            std::fprintf(stderr, "ws-churn: %s answered %s\n", messages[i].second.c_str(),
                         reply ? reply->second.c_str() : "nothing");
            return false;
        }
    }
    const bool not_utf8 = (round / 10) % 2 == 0;
    s.send_text(not_utf8 ? std::string("{\"type\":\"\xc3\x28\"}") : std::string(5000, ' '));
    const auto end = s.read_until_close(3000ms);
    return end.saw_close_frame && end.code == (not_utf8 ? 1007 : 1009);
}

// One HTTP request on its own connection; true when the answer's status is `status`.
bool http_request(std::uint16_t port, const std::string& request, const char* status) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(request.size())) {
            char buf[4096];
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            ok = n > 12 && std::strncmp(buf, "HTTP/1.1 ", 9) == 0 && std::strncmp(buf + 9, status, 3) == 0;
            while (::recv(fd, buf, sizeof buf, 0) > 0) {
            }
        }
    }
    ::close(fd);
    return ok;
}

bool rest(std::uint16_t port) {
    return http_request(port, "GET /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", "200");
}

// Requests the bridge must refuse (docs/PROTOCOL.md §4, §6), one after the other.
bool bad_rest(std::uint16_t port, long round) {
    static const std::pair<const char*, const char*> requests[] = {
        {"GET /api/sensors/temp-1/history?limit=many HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "400"},
        {"GET /api/sensors?prefix=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "400"},
        {"GET /api/no-such-route HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", "404"},
        {"POST /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 2\r\n\r\n{}", "405"},
        {"GET /api/sensors HTTP/1.1\r\nHost: elsewhere.example\r\n\r\n", "421"},
        {"NOT HTTP AT ALL\r\n\r\n", "400"},
    };
    const auto& r = requests[(round / 10) % std::size(requests)];
    if (http_request(port, r.first, r.second)) return true;
    std::fprintf(stderr, "ws-churn: not %s for %s\n", r.second, r.first);
    return false;
}

void worker(std::uint16_t port, int id, std::chrono::steady_clock::time_point until, counters& c) {
    for (long round = id; std::chrono::steady_clock::now() < until; ++round) {
        bool ok = false;
        try {
            switch (round % 10) {
                case 0: ok = polite(port) && ++c.polite; break;
                case 1: ok = abrupt(port) && ++c.abrupt; break;
                case 2: ok = protocol_error(port) && ++c.protocol_error; break;
                case 3: ok = stalled(port) && ++c.stalled; break;
                case 4: ok = slow(port, c); break;
                case 5: ok = resumed(port) && ++c.resumed; break;
                case 6: ok = bad_input(port, round) && ++c.bad_input; break;
                case 7: ok = bad_rest(port, round) && ++c.bad_rest; break;
                default: ok = rest(port) && ++c.rest; break;
            }
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ws-churn: %s\n", e.what());
        }
        if (!ok) ++c.failures;
    }
}

}  // namespace

int main(int argc, char** argv) {
    std::uint16_t port = 0;
    int seconds = 30, workers = 6;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string name = argv[i];
        const int value = std::atoi(argv[i + 1]);
        if (name == "--port") port = static_cast<std::uint16_t>(value);
        else if (name == "--seconds") seconds = value;
        else if (name == "--workers") workers = value;
    }
    if (port == 0 || seconds <= 0 || workers <= 0 || workers > 64) {
        std::fprintf(stderr, "usage: ws-churn --port PORT --seconds N [--workers 1..64]\n");
        return 2;
    }
    counters c;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    std::vector<std::thread> threads;
    for (int w = 0; w < workers; ++w) threads.emplace_back(worker, port, w, until, std::ref(c));
    for (auto& t : threads) t.join();
    std::printf("ws-churn: polite=%ld abrupt=%ld protocol_error=%ld stalled=%ld slow=%ld/%ld/%ld (kept/4008/dropped) "
                "resumed=%ld bad_input=%ld rest=%ld bad_rest=%ld failures=%ld\n",
                c.polite.load(), c.abrupt.load(), c.protocol_error.load(), c.stalled.load(), c.slow_kept.load(),
                c.slow_closed.load(), c.slow_dropped.load(), c.resumed.load(), c.bad_input.load(), c.rest.load(),
                c.bad_rest.load(), c.failures.load());
    return c.failures.load() == 0 ? 0 : 1;
}
