// ws-churn: WebSocket and REST connect/disconnect churn against a running bridge, for the soak
// run (scripts/soak.sh). Workers loop over the ways a client comes and goes: a polite close, an
// abrupt one, a protocol error, a stalled reader, a resume, a REST request. Prints what it did;
// exits 1 when the bridge refused or failed something it should have served.
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
#include <string>
#include <thread>
#include <vector>

#include "support/raw_ws_socket.hpp"

namespace {

using namespace std::chrono_literals;
using sb_it::raw_ws_socket;

struct counters {
    std::atomic<long> polite{0}, abrupt{0}, protocol_error{0}, stalled{0}, resumed{0}, rest{0}, failures{0};
};

std::string subscribe(const std::string& room, const std::string& extra = "") {
    return R"({"type":"subscribe","payload":{"room":")" + room + "\"" + extra + "}}";
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

bool resumed(std::uint16_t port) {
    raw_ws_socket s(port);
    if (!open(s)) return false;
    s.send_text(subscribe("sensor:temp-1", R"(,"since":1)"));
    s.send_text(R"({"type":"ping","id":"p"})");
    s.send_text(R"({"type":"unsubscribe","payload":{"room":"sensor:temp-1"}})");
    s.send_frame(0x88, std::string("\x03\xe8", 2));
    return s.read_until_close(3000ms).saw_close_frame;
}

bool rest(std::uint16_t port) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bool ok = false;
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0) {
        const std::string req = "GET /api/sensors HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
            char buf[4096];
            const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
            ok = n > 12 && std::strncmp(buf, "HTTP/1.1 200", 12) == 0;
            while (::recv(fd, buf, sizeof buf, 0) > 0) {
            }
        }
    }
    ::close(fd);
    return ok;
}

void worker(std::uint16_t port, int id, std::chrono::steady_clock::time_point until, counters& c) {
    for (long round = id; std::chrono::steady_clock::now() < until; ++round) {
        bool ok = false;
        try {
            switch (round % 6) {
                case 0: ok = polite(port) && ++c.polite; break;
                case 1: ok = abrupt(port) && ++c.abrupt; break;
                case 2: ok = protocol_error(port) && ++c.protocol_error; break;
                case 3: ok = stalled(port) && ++c.stalled; break;
                case 4: ok = resumed(port) && ++c.resumed; break;
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
    std::printf("ws-churn: polite=%ld abrupt=%ld protocol_error=%ld stalled=%ld resumed=%ld rest=%ld failures=%ld\n",
                c.polite.load(), c.abrupt.load(), c.protocol_error.load(), c.stalled.load(), c.resumed.load(),
                c.rest.load(), c.failures.load());
    return c.failures.load() == 0 ? 0 : 1;
}
