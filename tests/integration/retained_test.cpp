// Retained and redelivered MQTT messages (docs/PROTOCOL.md §1, "Retained messages"), for both
// MQTT clients: a retained message is one reading however often the broker hands it over, an
// old retained value is stale at once, and a QoS 1 resend (DUP) is processed once.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/puback_cutter.hpp"

namespace sb_it {
namespace {

class retained : public bridge_test {
protected:
    virtual bool paho() const { return false; }
    bool persistent_broker() const override { return true; }
    std::uint64_t ingest(const char* counter) const {
        return stats().uint((std::string("/ingest/") + counter).c_str()).value_or(0);
    }
    bool wait_ingest(const char* counter, std::uint64_t at_least) const {
        return wait_until([&] { return ingest(counter) >= at_least; }, 8000ms);
    }
    void one_reading_across_broker_and_bridge_restarts();
    void old_value_is_stale_at_once();
    void dup_resend_is_processed_once();
    void retained_status_is_the_current_status();
};

class retained_paho : public retained {
protected:
    bool paho() const override { return true; }
    std::vector<std::string> bridge_args() const override { return {"--mqtt-client", "paho"}; }
};

TEST_F(retained, one_reading_across_broker_and_bridge_restarts) { one_reading_across_broker_and_bridge_restarts(); }
TEST_F(retained_paho, one_reading_across_broker_and_bridge_restarts) { one_reading_across_broker_and_bridge_restarts(); }
TEST_F(retained, old_value_is_stale_at_once) { old_value_is_stale_at_once(); }
TEST_F(retained_paho, old_value_is_stale_at_once) { old_value_is_stale_at_once(); }
TEST_F(retained, dup_resend_is_processed_once) { dup_resend_is_processed_once(); }
TEST_F(retained, retained_status_is_the_current_status) { retained_status_is_the_current_status(); }
TEST_F(retained_paho, retained_status_is_the_current_status) { retained_status_is_the_current_status(); }
TEST_F(retained_paho, dup_resend_is_processed_once) { dup_resend_is_processed_once(); }

void retained::one_reading_across_broker_and_bridge_restarts() {
    ASSERT_EQ(bridge_->runs_paho(), paho()) << "not the MQTT client under test";
    // One with its own timestamp (compared by value and time), one without (by its bytes).
    publisher_->publish("sensors/ret-1", R"({"value":5,"timestamp":1790000000000})", 1, true);
    publisher_->publish("sensors/ret-2", "7", 1, true);
    ASSERT_TRUE(wait_for_seq("ret-1", 1));
    ASSERT_TRUE(wait_for_seq("ret-2", 1));
    // Published while the bridge listens: live, not retained (MQTT 3.1.1 §3.3.1.3).
    const json_doc live = get_json("/api/sensors/ret-1");
    EXPECT_FALSE(live.has("/retained")) << live.text();

    broker_->restart();  // keeps what it retains; the bridge resubscribes and gets both again
    publisher_ = std::make_unique<mqtt_publisher>(broker_->port());  // the test's own client does not reconnect
    ASSERT_TRUE(wait_ingest("retainedSkipped", 2)) << stats().text();
    EXPECT_EQ(get_json("/api/sensors/ret-1").uint("/seq"), 1u);
    EXPECT_EQ(get_json("/api/sensors/ret-2").uint("/seq"), 1u);

    ASSERT_TRUE(bridge_->terminate(2000ms));
    start_bridge("bridge-restarted");
    ASSERT_TRUE(wait_ingest("retainedSkipped", 2)) << stats().text();
    EXPECT_EQ(ingest("accepted"), 2u) << stats().text();
    for (const char* id : {"ret-1", "ret-2"}) {
        EXPECT_EQ(get_json(std::string("/api/sensors/") + id).uint("/seq"), 1u) << id;
        const json_doc history(get(std::string("/api/sensors/") + id + "/history?limit=10").body);
        EXPECT_EQ(history.size(""), 1u) << id << ": one message, one history entry: " << history.text();
    }
    // A value changed while the bridge was away is news: a reading marked retained.
    ASSERT_TRUE(bridge_->terminate(2000ms));
    publisher_->publish("sensors/ret-2", "8", 1, true);
    start_bridge("bridge-after-change");
    ASSERT_TRUE(wait_for_seq("ret-2", 2));
    const json_doc changed = get_json("/api/sensors/ret-2");
    EXPECT_EQ(changed.number("/value"), 8.0) << changed.text();
    EXPECT_EQ(changed.boolean("/retained"), true) << changed.text();
    EXPECT_EQ(get_json("/api/sensors/ret-1").uint("/seq"), 1u);
}

void retained::old_value_is_stale_at_once() {
    ASSERT_EQ(bridge_->runs_paho(), paho()) << "not the MQTT client under test";
    ASSERT_TRUE(bridge_->terminate(2000ms));
    publisher_->publish("sensors/old-1", R"({"value":5,"timestamp":1790000000000})", 1, true);  // months old
    publisher_->publish("sensors/fresh-1", "21", 1, true);  // no time of its own: judged as new
    start_bridge("bridge-after-retain");
    ASSERT_TRUE(wait_for_seq("old-1", 1));
    ASSERT_TRUE(wait_for_seq("fresh-1", 1));
    const json_doc old = get_json("/api/sensors/old-1");
    EXPECT_EQ(old.boolean("/retained"), true) << old.text();
    EXPECT_EQ(old.str("/status"), "stale") << old.text();
    EXPECT_EQ(get_json("/api/sensors/fresh-1").str("/status"), "online");

    // A subscriber sees it stale from the first frames on.
    auto c = connect_client();
    subscribe(*c, "sensor:old-1");
    bool saw_stale = false;
    for (int i = 0; i < 4 && !saw_stale; ++i) {
        const auto f = c->next_frame(2000ms);
        if (!f) break;
        saw_stale = f->find(R"("status":"stale")") != std::string::npos;
    }
    EXPECT_TRUE(saw_stale) << "the snapshot does not say old-1 is stale";
}

// A device's availability published retained while the bridge was away is its status at once
// after the bridge starts: the sensors it covers are offline, then online again.
void retained::retained_status_is_the_current_status() {
    ASSERT_EQ(bridge_->runs_paho(), paho()) << "not the MQTT client under test";
    publish("sensors/dev-9/temp", "20");
    ASSERT_TRUE(wait_for_seq("dev-9.temp", 1));
    ASSERT_TRUE(bridge_->terminate(2000ms));
    publisher_->publish("sensors/dev-9/status", "offline", 1, true);
    start_bridge("bridge-after-offline");
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/dev-9.temp").str("/status") == "offline"; }, 5000ms))
        << get("/api/sensors/dev-9.temp").body;
    ASSERT_TRUE(bridge_->terminate(2000ms));
    publisher_->publish("sensors/dev-9/status", "online", 1, true);
    start_bridge("bridge-after-online");
    publish("sensors/dev-9/temp", "21");
    EXPECT_TRUE(wait_until([&] { return get_json("/api/sensors/dev-9.temp").str("/status") == "online"; }, 5000ms))
        << get("/api/sensors/dev-9.temp").body;
}

void retained::dup_resend_is_processed_once() {
    ASSERT_TRUE(bridge_->terminate(2000ms));
    puback_cutter cutter(broker_->port());
    bridge_config c = config();
    c.mqtt_url = "tcp://127.0.0.1:" + std::to_string(cutter.port());
    c.extra_args.insert(c.extra_args.end(), {"--client-id", "sb-it-dup", "--mqtt-backoff-max-ms", "300"});
    previous_bridge_ = std::move(bridge_);
    bridge_ = std::make_unique<bridge_process>(dir_.path(), c, "bridge-via-cutter");
    ASSERT_TRUE(bridge_->wait_mqtt_connected());
    ASSERT_EQ(bridge_->runs_paho(), paho()) << "not the MQTT client under test";

    cutter.arm();
    publish("sensors/dup-1", "1");
    ASSERT_TRUE(wait_for_seq("dup-1", 1));
    ASSERT_TRUE(wait_until([&] { return cutter.cuts() == 1; }, 5000ms)) << "the PUBACK never came";
    // Reconnected with its session: the broker resends the unacknowledged PUBLISH, DUP set.
    ASSERT_TRUE(wait_ingest("duplicates", 1)) << stats().text();
    EXPECT_EQ(get_json("/api/sensors/dup-1").uint("/seq"), 1u) << "the resend was processed again";
    publish("sensors/dup-1", "2");
    ASSERT_TRUE(wait_for_seq("dup-1", 2));
    EXPECT_EQ(get_json("/api/sensors/dup-1/history?limit=10").size(""), 2u);
    EXPECT_EQ(ingest("duplicates"), 1u);
}

}  // namespace
}  // namespace sb_it
