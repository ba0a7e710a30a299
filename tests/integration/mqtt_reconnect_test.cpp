// A broker outage (docs/ARCHITECTURE.md: Paho does not resubscribe by itself): health reports it, and
// after the broker is back readings flow again without restarting the bridge.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

class mqtt_reconnect : public bridge_test {
protected:
    void resubscribes_after_a_broker_restart();
};

// The same outage with the Paho client (--mqtt-client paho, the one used for ssl:// brokers).
class mqtt_reconnect_paho : public mqtt_reconnect {
protected:
    std::vector<std::string> bridge_args() const override { return {"--mqtt-client", "paho"}; }
};

TEST_F(mqtt_reconnect, bridge_resubscribes_after_a_broker_restart) { resubscribes_after_a_broker_restart(); }

TEST_F(mqtt_reconnect_paho, bridge_resubscribes_after_a_broker_restart) { resubscribes_after_a_broker_restart(); }

void mqtt_reconnect::resubscribes_after_a_broker_restart() {
    auto c = connect_client();
    subscribe(*c, "sensor:rc-1");
    publish("sensors/rc-1", "1");
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "rc-1"); }, 3000ms));

    publisher_.reset();
    broker_->stop();
    EXPECT_TRUE(wait_until(
        [&] {
            const http_response h = get("/api/health");
            return h.status == 503 && json_doc(h.body).str("/mqtt") == "disconnected";
        },
        10000ms, 50ms))
        << "health did not report the outage: " << get("/api/health").body;

    broker_->restart();
    ASSERT_TRUE(bridge_->wait_mqtt_connected(15000ms)) << "the bridge never reconnected";
    publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
    publish("sensors/rc-1", "2");
    const auto f = c->wait_for([](const std::string& x) { return is_reading_of(x, "rc-1"); }, 5000ms);
    ASSERT_TRUE(f) << "connected again but nothing arrives: the subscription was not renewed";
    EXPECT_EQ(json_doc(*f).number("/payload/value"), 2.0);
    EXPECT_EQ(json_doc(*f).uint("/payload/seq"), 2u);
    EXPECT_TRUE(c->is_open());
}

}  // namespace
}  // namespace sb_it
