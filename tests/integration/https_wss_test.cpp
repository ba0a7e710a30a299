// HTTPS and WSS (issue 7): with --tls-cert/--tls-key the one HTTP/WebSocket port speaks TLS:
// REST and the dashboard over https://, the WebSocket protocol over wss://; plain HTTP to it
// fails without harm; unusable certificate files stop the start with one line and exit 2.
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "support/bridge_fixture.hpp"
#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/https_client.hpp"
#include "support/json_doc.hpp"
#include "support/log_file.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/mqtt_publisher.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"
#include "support/wait.hpp"
#include "support/ws_test_client.hpp"
#include "support/wss_test_client.hpp"

namespace sb_it {
namespace {

class https_wss : public ::testing::Test {
protected:
    void SetUp() override {
        // Self-signed: the certificate is its own CA, as on a gateway without a PKI.
        cert_ = self_signed_cert(dir_.path(), "bridge-tls", "127.0.0.1", {"IP:127.0.0.1", "DNS:localhost"});
        std::filesystem::create_directories(dir_ / "web");
        write_file(dir_ / "web" / "index.html", "<!doctype html><title>sb</title>" + index_html_marker + "\n");
        broker_ = std::make_unique<mosquitto_broker>(dir_.path());
        bridge_config c;
        c.mqtt_port = broker_->port();
        c.db = dir_ / "bridge.db";
        c.web_root = dir_ / "web";
        c.extra_args = {"--tls-cert", cert_.cert.string(), "--tls-key", cert_.key.string()};
        bridge_ = std::make_unique<bridge_process>(dir_.path(), c);
        publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
        ASSERT_TRUE(wait_until([&] { return health().status == 200; }, 5000ms)) << health().error;
    }

    void TearDown() override {
        if (HasFailure()) {
            if (bridge_) std::cerr << "---- bridge log (tail) ----\n" << bridge_->log_tail(30);
            if (broker_) std::cerr << "---- mosquitto log (tail) ----\n" << broker_->log_tail(10);
        }
        publisher_.reset();
        bridge_.reset();
        broker_.reset();
    }

    http_response health() const { return https_get(bridge_->http_port(), "/api/health", cert_.cert); }

    temp_dir dir_;
    cert_files cert_;
    std::unique_ptr<mosquitto_broker> broker_;
    std::unique_ptr<bridge_process> bridge_;
    std::unique_ptr<mqtt_publisher> publisher_;
};

TEST_F(https_wss, rest_and_the_dashboard_over_https) {
    const http_response h = health();
    EXPECT_EQ(h.status, 200) << h.error;
    EXPECT_EQ(json_doc(h.body).str("/mqtt"), "connected") << h.body;
    publisher_->publish("sensors/tls-rest", "21.5");
    ASSERT_TRUE(wait_until(
        [&] { return https_get(bridge_->http_port(), "/api/sensors/tls-rest", cert_.cert).status == 200; }, 5000ms));
    EXPECT_EQ(json_doc(https_get(bridge_->http_port(), "/api/sensors/tls-rest", cert_.cert).body).number("/value"), 21.5);
    const http_response page = https_get(bridge_->http_port(), "/", cert_.cert, "localhost");  // by name too
    EXPECT_EQ(page.status, 200) << page.error;
    EXPECT_NE(page.body.find(index_html_marker), std::string::npos);
    EXPECT_NE(read_whole_file(bridge_->log_path()).find("info http listening url=https://127.0.0.1:"),
              std::string::npos);
}

TEST_F(https_wss, the_websocket_protocol_over_wss) {
    wss_test_client c(cert_.cert);
    ASSERT_TRUE(c.connect(bridge_->http_port())) << c.error();
    ASSERT_TRUE(c.wait_for([](const std::string& f) { return is_frame_type(f, "connected"); }, 2000ms));
    c.send(subscribe_json("sensor:tls-ws", "s1"));
    ASSERT_TRUE(c.wait_for([](const std::string& f) { return is_frame_type(f, "subscribed"); }, 2000ms));
    publisher_->publish("sensors/tls-ws", "{\"value\":7,\"unit\":\"W\"}");
    const auto reading = c.wait_for([](const std::string& f) { return is_reading_of(f, "tls-ws"); }, 5000ms);
    ASSERT_TRUE(reading);
    EXPECT_EQ(json_doc(*reading).number("/payload/value"), 7.0) << *reading;
    c.send(R"({"type":"ping","id":"p"})");
    EXPECT_TRUE(c.wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 2000ms));
}

TEST_F(https_wss, plain_http_and_untrusting_clients_fail_without_harm) {
    const http_response plain = http_get(bridge_->http_port(), "/api/health");
    EXPECT_EQ(plain.status, 0) << "a plain HTTP answer from the TLS port: " << plain.body;
    ws_test_client ws;
    EXPECT_FALSE(ws.connect(bridge_->http_port()));
    // A client that does not trust the certificate (another CA) gives up at the handshake.
    test_ca other(dir_.path(), "other-ca");
    EXPECT_EQ(https_get(bridge_->http_port(), "/api/health", other.cert()).status, 0);
    EXPECT_TRUE(wait_until(
        [&] { return read_whole_file(bridge_->log_path()).find("hint=\"plain http:// or ws:// to the TLS port\"") !=
                     std::string::npos; },
        2000ms));
    // Still serving, still one process.
    EXPECT_TRUE(bridge_->running());
    EXPECT_EQ(health().status, 200);
    wss_test_client c(cert_.cert);
    EXPECT_TRUE(c.connect(bridge_->http_port())) << c.error();
    EXPECT_EQ(bridge_->terminate(5000ms), 0);
}

// TLS 1.2 and 1.3 only; on TLS 1.2 only forward-secret AEAD suites.
TEST_F(https_wss, old_protocols_and_weak_ciphers_are_refused) {
    const auto port = bridge_->http_port();
    EXPECT_EQ(https_get(port, "/api/health", cert_.cert, "127.0.0.1", {TLS1_1_VERSION, ""}).status, 0);
    EXPECT_EQ(https_get(port, "/api/health", cert_.cert, "127.0.0.1", {TLS1_VERSION, ""}).status, 0);
    EXPECT_EQ(https_get(port, "/api/health", cert_.cert, "127.0.0.1", {TLS1_2_VERSION, "AES128-SHA:AES256-SHA256"}).status,
              0) << "RSA key exchange, CBC";
    const http_response tls12 = https_get(port, "/api/health", cert_.cert, "127.0.0.1", {TLS1_2_VERSION, ""});
    EXPECT_EQ(tls12.status, 200) << tls12.error;
    EXPECT_TRUE(wait_until(
        [&] { return read_whole_file(bridge_->log_path()).find("error=\"unsupported protocol\"") != std::string::npos; },
        2000ms));
}

// Certificate files that cannot work stop the bridge before it starts: one line, exit code 2.
TEST(https_start, unusable_tls_files_exit_2_with_one_line) {
    temp_dir dir;
    test_ca ca(dir.path());
    const cert_files server = ca.issue("server", "127.0.0.1", {"IP:127.0.0.1"});
    const cert_files other = ca.issue("other", "127.0.0.2", {"IP:127.0.0.2"});
    encrypt_key(server.key, dir / "server-encrypted.key", "passphrase");
    struct bad_case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<bad_case> cases{
        {{"--tls-cert", server.cert.string()}, "--tls-cert and --tls-key go together"},
        {{"--tls-key", server.key.string()}, "--tls-cert and --tls-key go together"},
        {{"--tls-cert", (dir / "missing.pem").string(), "--tls-key", server.key.string()}, "--tls-cert"},
        {{"--tls-cert", server.cert.string(), "--tls-key", (dir / "missing.key").string()}, "--tls-key"},
        {{"--tls-cert", server.key.string(), "--tls-key", server.key.string()}, "is not a PEM certificate"},
        {{"--tls-cert", server.cert.string(), "--tls-key", server.cert.string()}, "is not a PEM private key"},
        {{"--tls-cert", server.cert.string(), "--tls-key", other.key.string()}, "does not belong to the certificate"},
        {{"--tls-cert", server.cert.string(), "--tls-key", (dir / "server-encrypted.key").string()}, "is encrypted"},
    };
    for (const auto& c : cases) {
        std::vector<std::string> argv{SENSOR_BRIDGE_BIN, "--http-port", "0", "--db", (dir / "bridge.db").string()};
        argv.insert(argv.end(), c.args.begin(), c.args.end());
        SCOPED_TRACE(c.says);
        std::filesystem::remove(dir / "err.txt");
        child_process p(spawn_options{argv, dir / "out.txt", dir / "err.txt", dir.path(), {}});
        const auto code = p.wait_exit(5000ms);
        p.stop();
        const std::string err = read_whole_file(dir / "err.txt");
        ASSERT_TRUE(code) << "did not exit";
        EXPECT_EQ(*code, 2) << err;
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
        EXPECT_NE(err.find(c.says), std::string::npos) << err;
        EXPECT_FALSE(std::filesystem::exists(dir / "bridge.db"));
    }
}

}  // namespace
}  // namespace sb_it
