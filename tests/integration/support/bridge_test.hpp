#pragma once
// The GoogleTest fixture every integration test uses: a temp dir, a private mosquitto, a
// sensor-bridge connected to it (with a web root holding a known index.html), an MQTT
// publisher, and helpers for REST and WebSocket. On failure the logs' tails are printed.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/bridge_fixture.hpp"
#include "support/http_client.hpp"
#include "support/json_doc.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/mqtt_publisher.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"
#include "support/ws_test_client.hpp"

namespace sb_it {

inline const std::string index_html_marker = "sb-it-index-3f9c1e";

class bridge_test : public ::testing::Test {
protected:
    void SetUp() override;
    void TearDown() override;

    // Extra command-line options for the bridge of a derived fixture.
    virtual std::vector<std::string> bridge_args() const { return {}; }
    virtual bool with_web_root() const { return true; }
    virtual std::vector<std::string> bridge_env() const { return {}; }
    // A broker that keeps its retained messages and sessions across restart().
    virtual bool persistent_broker() const { return false; }

    // Starts a bridge on the shared db and broker (replacing bridge_) and waits for MQTT.
    void start_bridge(const std::string& name = "bridge");
    bridge_config config() const;

    void publish(const std::string& topic, const std::string& payload, int qos = 1);
    http_response get(const std::string& target) const;
    json_doc get_json(const std::string& target) const;
    json_doc stats() const;
    // Waits until GET /api/sensors/{id} reports at least seq.
    bool wait_for_seq(const std::string& sensor_id, std::uint64_t seq, ms timeout = 5000ms) const;

    // A connected client whose `connected` welcome frame has been taken.
    std::unique_ptr<ws_test_client> connect_client();
    // Sends subscribe (with id when not empty) and waits for the `subscribed` ack.
    void subscribe(ws_test_client& c, const std::string& room, const std::string& id = "");

    std::uint16_t port() const { return bridge_->http_port(); }

    temp_dir dir_;
    std::unique_ptr<mosquitto_broker> broker_;
    std::unique_ptr<bridge_process> bridge_;
    std::unique_ptr<bridge_process> previous_bridge_;  // kept for its log after a restart
    std::unique_ptr<mqtt_publisher> publisher_;
};

std::string subscribe_json(const std::string& room, const std::string& id = "");
std::string unsubscribe_json(const std::string& room, const std::string& id = "");

}  // namespace sb_it
