// Issue 19, finding 8: broker failover. Two real mosquittos, B bridged to A (mosquitto's own
// `connection ... topic # both`), the bridge given both (--mqtt-url A --mqtt-url B) and
// connected to A. A is killed: the bridge moves to B at once (no back-off between brokers of one
// round), readings keep arriving through B, /api/health and /metrics name B, and a retained
// reading that B hands over again after the switch is the same reading, not a second one.
// For both MQTT clients.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/log_file.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/mqtt_publisher.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

class mqtt_failover : public bridge_test {
protected:
    void SetUp() override {
        bridge_test::SetUp();  // broker A and a first bridge on it alone
        if (HasFatalFailure()) return;
        std::filesystem::create_directories(dir_.path() / "b");
        const std::string to_a = "connection to-a\naddress 127.0.0.1:" + std::to_string(broker_->port()) +
                                 "\ntopic # both 1\nrestart_timeout 1\n";
        b_ = std::make_unique<mosquitto_broker>(dir_.path() / "b", std::nullopt, false, to_a);
        bridge_.reset();
        start_bridge("failover");  // now with --mqtt-url A --mqtt-url B
    }
    std::vector<std::string> bridge_args() const override {
        std::vector<std::string> args{"--mqtt-backoff-max-ms", "20000"};  // a slow retry would show
        if (b_) args.insert(args.end(), {"--mqtt-url", url(b_->port())});
        for (const auto& a : client_args()) args.push_back(a);
        return args;
    }
    virtual std::vector<std::string> client_args() const { return {}; }
    static std::string url(std::uint16_t port) { return "tcp://127.0.0.1:" + std::to_string(port); }

    void fails_over_to_the_second_broker();

    // The retained payload of topic on B ("" when none), read with mosquitto_sub.
    std::string retained_on_b(const std::string& topic) {
        const auto out = dir_.path() / "probe.out";
        std::filesystem::remove(out);
        spawn_options o;
        o.argv = {"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p", std::to_string(b_->port()), "-t", topic,
                  "-C", "1", "-W", "1", "--retained-only", "-q", "1"};
        o.stdout_path = out;
        o.stderr_path = dir_.path() / "probe.err";
        child_process p(o);
        if (!p.wait_exit(3000ms)) p.stop();
        std::string got = read_whole_file(out);
        if (!got.empty() && got.back() == '\n') got.pop_back();
        return got;
    }

    std::unique_ptr<mosquitto_broker> b_;
};

void mqtt_failover::fails_over_to_the_second_broker() {
    EXPECT_EQ(get_json("/api/health").str("/broker"), url(broker_->port()));
    auto c = connect_client();
    subscribe(*c, "sensor:fo-1");
    // Retained on A, bridged to B (which keeps it retained too).
    const std::string first = R"({"value":1.5,"timestamp":"2026-12-07T10:00:00Z"})";
    publisher_->publish("sensors/fo-1", first, 1, true);
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "fo-1"); }, 3000ms));
    ASSERT_TRUE(wait_until([&] { return retained_on_b("sensors/fo-1") == first; }, 10000ms, 200ms))
        << "A's retained reading never reached B through mosquitto's bridge:\n" << b_->log_tail();

    publisher_.reset();
    broker_->stop();  // A is gone
    ASSERT_TRUE(wait_until(
        [&] {
            const auto h = get_json("/api/health");
            return h.str("/mqtt") == "connected" && h.str("/broker") == url(b_->port());
        },
        8000ms))
        << "not on B in time: a back-off between the brokers of one round, or no failover\n"
        << get("/api/health").body;
    const std::string metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("sensor_bridge_mqtt_broker_info{url=\"" + url(b_->port()) + "\"} 1"), std::string::npos)
        << metrics;

    mqtt_publisher on_b(b_->port(), "sb-it-publisher-b");
    on_b.publish("sensors/fo-1", R"({"value":2.5,"timestamp":"2026-12-07T10:00:05Z"})", 1);
    const auto f = c->wait_for([](const std::string& x) { return is_reading_of(x, "fo-1"); }, 5000ms);
    ASSERT_TRUE(f) << "no reading through B";
    EXPECT_EQ(json_doc(*f).number("/payload/value"), 2.5) << "B's retained copy of the first reading came as new: "
                                                          << *f;
    EXPECT_EQ(json_doc(*f).uint("/payload/seq"), 2u) << *f;
    EXPECT_EQ(get_json("/api/sensors/fo-1").uint("/seq"), 2u);
}

TEST_F(mqtt_failover, the_built_in_client_fails_over_to_the_second_broker) { fails_over_to_the_second_broker(); }

class mqtt_failover_paho : public mqtt_failover {
protected:
    std::vector<std::string> client_args() const override { return {"--mqtt-client", "paho"}; }
};

TEST_F(mqtt_failover_paho, the_paho_client_fails_over_to_the_second_broker) { fails_over_to_the_second_broker(); }

}  // namespace
}  // namespace sb_it
