#pragma once
// Publishes test payloads (any bytes, any size) through the Paho C++ async client.
#include <mqtt/async_client.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace sb_it {

class mqtt_publisher {
public:
    // Connects to tcp://127.0.0.1:port; throws mqtt::exception or std::runtime_error.
    // max_buffered bounds the publishes Paho queues before it refuses more.
    explicit mqtt_publisher(std::uint16_t port, const std::string& client_id = "sb-it-publisher",
                            int max_buffered = 1000);
    ~mqtt_publisher();
    mqtt_publisher(const mqtt_publisher&) = delete;
    mqtt_publisher& operator=(const mqtt_publisher&) = delete;

    // Publishes and waits until the broker has it (QoS 1 PUBACK, or written for QoS 0).
    // retained: the broker keeps it and hands it to every later subscriber.
    void publish(const std::string& topic, const std::string& payload, int qos = 1, bool retained = false);

    // Publishes without waiting; wait on the token for completion.
    mqtt::delivery_token_ptr publish_async(const std::string& topic, const std::string& payload, int qos,
                                           bool retained = false);

private:
    std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace sb_it
