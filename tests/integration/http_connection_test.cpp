// Issue 19, finding 2: HTTP connections. The bridge closes the connection after each answer
// (websocketpp has no keep-alive) and says so with "Connection: close", so clients that keep
// connections alive (Node's agent, curl, Python's http.client) open a new one for the next
// request instead of writing it into a closing socket. Every answer carries nosniff.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

class http_connection : public bridge_test {
protected:
    // Runs argv to its end (60 s at most); its standard output, or "" when it did not exit 0.
    std::string run(const std::vector<std::string>& argv, const std::string& name) {
        const auto out = dir_.path() / (name + ".out");
        spawn_options o;
        o.argv = argv;
        o.stdout_path = out;
        o.stderr_path = dir_.path() / (name + ".err");
        child_process p(o);
        const auto rc = p.wait_exit(std::chrono::seconds(60));
        if (!rc) p.stop();
        EXPECT_EQ(rc, 0) << name << ": " << read_whole_file(dir_.path() / (name + ".err"));
        return read_whole_file(out);
    }
    std::string script(const std::string& name, const std::string& text) {
        const auto path = dir_.path() / name;
        std::ofstream(path) << text;
        return path.string();
    }
    std::string base() const { return "http://127.0.0.1:" + std::to_string(port()); }
};

TEST_F(http_connection, every_answer_says_connection_close_and_nosniff) {
    for (const char* target : {"/api/sensors", "/api/stats", "/metrics", "/", "/api/sensors/nobody", "/nothing-here"}) {
        SCOPED_TRACE(target);
        const auto r = http_get(port(), target);
        ASSERT_NE(r.status, 0) << r.error;
        EXPECT_EQ(r.header("connection"), "close");
        EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    }
}

TEST_F(http_connection, node_keep_alive_agent_gets_every_answer) {
    const auto js = script("agent.mjs", R"(
import http from 'node:http';
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
let ok = 0;
for (let i = 0; i < 200; i++) {
  const status = await new Promise((resolve) => {
    const req = http.get(process.argv[2] + '/api/sensors', { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', (e) => resolve(e.code || String(e)));
  });
  if (status === 200) ok++; else console.error('request', i, status);
}
console.log(`ok ${ok}`);
agent.destroy();
)");
    EXPECT_EQ(run({"/usr/bin/env", "node", js, base()}, "node"), "ok 200\n");
}

TEST_F(http_connection, curl_reusing_its_connection_gets_every_answer) {
    std::vector<std::string> argv{"/usr/bin/env", "curl", "-sS", "-o", "/dev/null", "-o", "/dev/null", "-o", "/dev/null",
                                  "-w", "%{http_code} %{num_connects}\\n"};
    for (int i = 0; i < 3; ++i) argv.push_back(base() + "/api/sensors");
    EXPECT_EQ(run(argv, "curl"), "200 1\n200 1\n200 1\n") << "each answer on a fresh connection";
}

TEST_F(http_connection, python_http_client_on_one_connection_object_gets_every_answer) {
    const auto py = script("client.py", R"(
import http.client, sys
conn = http.client.HTTPConnection('127.0.0.1', int(sys.argv[1]), timeout=5)
ok = 0
for i in range(50):
    conn.request('GET', '/api/stats')
    r = conn.getresponse()
    r.read()
    ok += r.status == 200
print('ok', ok)
)");
    EXPECT_EQ(run({"/usr/bin/env", "python3", py, std::to_string(port())}, "python"), "ok 50\n");
}

// Two requests in one write: the first is answered whole, with "Connection: close", and the
// connection then ends; the client sends the second again on a new one (RFC 9112 §9.3.2).
TEST_F(http_connection, pipelined_requests_get_the_first_answer_whole_then_a_clean_close) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    timeval tv{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    const std::string one = "GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    const std::string two = one + "GET /api/stats HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
    ASSERT_EQ(::send(fd, two.data(), two.size(), 0), static_cast<ssize_t>(two.size()));
    std::string got;
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) got.append(buf, static_cast<std::size_t>(n));
    const int err = n < 0 ? errno : 0;
    ::close(fd);
    EXPECT_EQ(n, 0) << "the connection was reset, not closed: errno " << err;
    ASSERT_EQ(got.rfind("HTTP/1.1 ", 0), 0u) << got;
    EXPECT_NE(got.find("\r\nConnection: close\r\n"), std::string::npos) << got;
    const auto head_end = got.find("\r\n\r\n");
    ASSERT_NE(head_end, std::string::npos) << got;
    const auto cl = got.find("Content-Length: ");
    ASSERT_NE(cl, std::string::npos) << got;
    EXPECT_EQ(got.size() - head_end - 4, std::stoul(got.substr(cl + 16))) << "a cut answer: " << got;
    EXPECT_EQ(got.find("HTTP/1.1 ", 1), std::string::npos) << "one answer only";
}

}  // namespace
}  // namespace sb_it
