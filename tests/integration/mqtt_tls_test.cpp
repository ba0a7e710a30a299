// MQTT over TLS (issue 7): the bridge verifies the broker's certificate chain and host name,
// presents a client certificate when the broker asks for one, logs in with a password read from
// a file and never shows that password. Certificates are made at test time (support/test_certs);
// mosquitto has a TLS listener beside its plain one, which the test publisher uses.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "support/bridge_fixture.hpp"
#include "support/child_process.hpp"
#include "support/http_client.hpp"
#include "support/json_doc.hpp"
#include "support/log_file.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/mqtt_publisher.hpp"
#include "support/temp_dir.hpp"
#include "support/test_certs.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

const std::vector<std::string> loopback_names{"IP:127.0.0.1", "DNS:localhost"};

class mqtt_tls : public ::testing::Test {
protected:
    void SetUp() override {
        ca_ = std::make_unique<test_ca>(dir_.path());
        broker_cert_ = ca_->issue("broker", "127.0.0.1", loopback_names);
    }

    void TearDown() override {
        if (HasFailure()) {
            for (const auto& b : bridges_) std::cerr << "---- " << b->log_path().filename() << " ----\n" << b->log_tail(20);
            if (broker_) std::cerr << "---- mosquitto log (tail) ----\n" << broker_->log_tail(15);
        }
        publisher_.reset();
        bridges_.clear();
        broker_.reset();
    }

    mosquitto_tls_listener listener(const cert_files& server, bool require_certificate = false,
                                    const std::filesystem::path& password_file = {}) const {
        return {ca_->cert(), server.cert, server.key, require_certificate, password_file};
    }

    void start_broker(const mosquitto_tls_listener& tls) {
        broker_ = std::make_unique<mosquitto_broker>(dir_.path(), tls);
        publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
    }

    std::string tls_url(const std::string& scheme = "ssl", const std::string& host = "127.0.0.1") const {
        return scheme + "://" + host + ":" + std::to_string(broker_->tls_port());
    }

    bridge_process& start_bridge(const std::string& name, const std::string& url, std::vector<std::string> args) {
        bridge_config c;
        c.mqtt_port = broker_->port();
        c.mqtt_url = url;
        c.db = dir_ / (name + ".db");
        c.extra_args = std::move(args);
        bridges_.push_back(std::make_unique<bridge_process>(dir_.path(), c, name));
        return *bridges_.back();
    }

    // A reading published on the plain port reaches the bridge's REST API.
    bool reading_arrives(bridge_process& b, const std::string& sensor) {
        publisher_->publish("sensors/" + sensor, "21.5");
        return wait_until([&] { return http_get(b.http_port(), "/api/sensors/" + sensor).status == 200; }, 5000ms);
    }

    // The first "connect failed" line of the bridge's log, waited for.
    std::string refusal_line(bridge_process& b) {
        std::string line;
        wait_until(
            [&] {
                const std::string log = read_whole_file(b.log_path());
                const auto at = log.find("warn mqtt connect failed");
                if (at == std::string::npos) return false;
                line = log.substr(at, log.find('\n', at) - at);
                return true;
            },
            8000ms, 20ms);
        return line;
    }

    // Refused, and it says why: still running, health degraded with MQTT disconnected.
    void expect_refused(bridge_process& b, const std::string& reason) {
        const std::string line = refusal_line(b);
        EXPECT_NE(line.find(reason), std::string::npos) << "log line: " << line;
        EXPECT_TRUE(b.running());
        const http_response health = http_get(b.http_port(), "/api/health");
        EXPECT_EQ(health.status, 503) << health.body;
        EXPECT_EQ(json_doc(health.body).str("/mqtt"), "disconnected") << health.body;
    }

    temp_dir dir_;
    std::unique_ptr<test_ca> ca_;
    cert_files broker_cert_;
    std::unique_ptr<mosquitto_broker> broker_;
    std::unique_ptr<mqtt_publisher> publisher_;
    std::vector<std::unique_ptr<bridge_process>> bridges_;
};

TEST_F(mqtt_tls, a_verified_broker_delivers_readings) {
    start_broker(listener(broker_cert_));
    auto& by_ip = start_bridge("by-ip", tls_url(), {"--mqtt-ca", ca_->cert().string()});
    // By name too (the certificate's DNS entry), with the mqtts:// spelling.
    auto& by_name = start_bridge("by-name", tls_url("mqtts", "localhost"), {"--mqtt-ca", ca_->cert().string()});
    ASSERT_TRUE(by_ip.wait_mqtt_connected(10000ms));
    ASSERT_TRUE(by_name.wait_mqtt_connected(10000ms));
    EXPECT_TRUE(reading_arrives(by_ip, "tls-1"));
    EXPECT_TRUE(wait_until([&] { return http_get(by_name.http_port(), "/api/sensors/tls-1").status == 200; }, 5000ms));
    EXPECT_NE(read_whole_file(by_ip.log_path()).find("info mqtt connected url=ssl://127.0.0.1:"), std::string::npos);
}

TEST_F(mqtt_tls, a_certificate_for_another_name_is_refused) {
    const cert_files wrong = ca_->issue("wrong", "wrong.example", {});  // trusted CA, wrong name
    start_broker(listener(wrong));
    auto& b = start_bridge("bridge", tls_url(), {"--mqtt-ca", ca_->cert().string()});
    expect_refused(b, "IP address mismatch");
    EXPECT_NE(refusal_line(b).find("CN = wrong.example; names: none"), std::string::npos) << refusal_line(b);
    EXPECT_EQ(b.terminate(5000ms), 0);
}

TEST_F(mqtt_tls, a_broker_the_trust_store_does_not_know_is_refused) {
    start_broker(listener(broker_cert_));
    // No --mqtt-ca: the system's trust store, which has never heard of the test CA.
    auto& system_store = start_bridge("system", tls_url(), {});
    test_ca other(dir_.path(), "other-ca");
    auto& other_ca = start_bridge("other", tls_url(), {"--mqtt-ca", other.cert().string()});
    // OpenSSL names the chain problem ("self-signed certificate in certificate chain" when the
    // broker sends its CA along, "unable to get local issuer certificate" when not).
    expect_refused(system_store, "the broker's certificate is refused: ");
    expect_refused(other_ca, "the broker's certificate is refused: ");
}

TEST_F(mqtt_tls, a_client_certificate_is_presented_when_the_broker_requires_one) {
    start_broker(listener(broker_cert_, /*require_certificate=*/true));
    const cert_files client = ca_->issue("client", "sensor-bridge", {}, /*client=*/true);
    auto& with_cert = start_bridge("with-cert", tls_url(),
                                   {"--mqtt-ca", ca_->cert().string(), "--mqtt-cert", client.cert.string(), "--mqtt-key",
                                    client.key.string()});
    auto& without = start_bridge("without", tls_url(), {"--mqtt-ca", ca_->cert().string()});
    ASSERT_TRUE(with_cert.wait_mqtt_connected(10000ms));
    EXPECT_TRUE(reading_arrives(with_cert, "client-cert-1"));
    expect_refused(without, "certificate required");
}

TEST_F(mqtt_tls, the_password_file_logs_in_and_the_password_is_never_shown) {
    const std::string password = "pw-7f2a-tls-Secr3t";
    const auto passwd = dir_ / "mosquitto.passwd";
    child_process tool(spawn_options{{"/usr/bin/mosquitto_passwd", "-b", "-c", passwd.string(), "sb-bridge", password},
                                     dir_ / "passwd.log", {}, dir_.path(), {}});
    ASSERT_EQ(tool.wait_exit(10000ms), 0) << read_whole_file(dir_ / "passwd.log");
    write_file(dir_ / "password", password + "\n");
    write_file(dir_ / "wrong-password", "not-" + password + "\n");
    start_broker(listener(broker_cert_, false, passwd));

    const std::vector<std::string> args{"--mqtt-ca", ca_->cert().string(), "--mqtt-username", "sb-bridge",
                                        "--mqtt-password-file", (dir_ / "password").string(), "--log-level", "debug"};
    auto& b = start_bridge("bridge", tls_url(), args);
    auto wrong_args = args;
    wrong_args[5] = (dir_ / "wrong-password").string();
    auto& wrong = start_bridge("wrong", tls_url(), wrong_args);
    ASSERT_TRUE(b.wait_mqtt_connected(10000ms));
    EXPECT_TRUE(reading_arrives(b, "pw-1"));
    expect_refused(wrong, "tls=\"ok: certificate trusted, host name matches\"");  // refused by MQTT, not TLS

    // Never in the logs, the REST answers or --print-config (which shows the file's path).
    for (const auto& bridge : bridges_) {
        EXPECT_EQ(read_whole_file(bridge->log_path()).find(password), std::string::npos) << bridge->log_path();
    }
    for (const char* target : {"/api/stats", "/api/health", "/metrics"}) {
        EXPECT_EQ(http_get(b.http_port(), target).body.find(password), std::string::npos) << target;
    }
    std::vector<std::string> print{SENSOR_BRIDGE_BIN, "--mqtt-url", tls_url()};
    print.insert(print.end(), args.begin(), args.end());
    print.push_back("--print-config");
    child_process p(spawn_options{print, dir_ / "print.out", {}, dir_.path(), {}});
    ASSERT_EQ(p.wait_exit(5000ms), 0);
    const std::string printed = read_whole_file(dir_ / "print.out");
    EXPECT_NE(printed.find("mqtt-password-file = \"" + (dir_ / "password").string() + "\""), std::string::npos) << printed;
    EXPECT_NE(printed.find("mqtt-ca = \"" + ca_->cert().string() + "\""), std::string::npos) << printed;
    EXPECT_EQ(printed.find(password), std::string::npos) << printed;
    // --help, even with the password file named in the environment.
    child_process help(spawn_options{{SENSOR_BRIDGE_BIN, "--help"}, dir_ / "help.out", {}, dir_.path(),
                                     {"SENSOR_BRIDGE_MQTT_PASSWORD_FILE=" + (dir_ / "password").string()}});
    ASSERT_EQ(help.wait_exit(5000ms), 0);
    const std::string help_text = read_whole_file(dir_ / "help.out");
    EXPECT_NE(help_text.find("--mqtt-ca"), std::string::npos) << help_text;
    EXPECT_EQ(help_text.find(password), std::string::npos) << help_text;
}

// TLS files that cannot work stop the bridge before it starts: one line, exit code 2.
TEST(mqtt_tls_start, unusable_tls_options_exit_2_with_one_line) {
    temp_dir dir;
    test_ca ca(dir.path());
    const cert_files client = ca.issue("client", "sensor-bridge", {}, true);
    const cert_files other = ca.issue("other", "someone-else", {}, true);
    encrypt_key(client.key, dir / "client-encrypted.key", "passphrase");
    const std::string url = "ssl://127.0.0.1:1";
    struct bad_case {
        std::vector<std::string> args;
        std::string says;
    };
    const std::vector<bad_case> cases{
        {{"--mqtt-url", url, "--mqtt-cert", client.cert.string()}, "--mqtt-cert and --mqtt-key go together"},
        {{"--mqtt-url", "tcp://127.0.0.1:1", "--mqtt-ca", ca.cert().string()}, "need an ssl:// or mqtts://"},
        {{"--mqtt-url", url, "--mqtt-client", "asio"}, "plain TCP only"},
        {{"--mqtt-url", url, "--mqtt-ca", (dir / "missing.pem").string()}, "--mqtt-ca"},
        {{"--mqtt-url", url, "--mqtt-ca", client.key.string()}, "holds no PEM CA certificate"},
        {{"--mqtt-url", url, "--mqtt-cert", client.key.string(), "--mqtt-key", client.key.string()},
         "is not a PEM certificate"},
        {{"--mqtt-url", url, "--mqtt-cert", client.cert.string(), "--mqtt-key", other.key.string()},
         "does not belong to the certificate"},
        {{"--mqtt-url", url, "--mqtt-cert", client.cert.string(), "--mqtt-key", (dir / "client-encrypted.key").string()},
         "is encrypted"},
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
