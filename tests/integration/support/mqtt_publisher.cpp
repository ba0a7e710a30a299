#include "support/mqtt_publisher.hpp"

#include <stdexcept>

namespace sb_it {
namespace {

constexpr auto completion_timeout = std::chrono::seconds(5);

}  // namespace

mqtt_publisher::mqtt_publisher(std::uint16_t port, const std::string& client_id, int max_buffered)
    : client_(std::make_unique<mqtt::async_client>("tcp://127.0.0.1:" + std::to_string(port), client_id,
                                                   mqtt::create_options(MQTTVERSION_DEFAULT, max_buffered))) {
    mqtt::connect_options opts;
    opts.set_clean_session(true);
    opts.set_keep_alive_interval(30);
    opts.set_connect_timeout(5);
    if (!client_->connect(opts)->wait_for(completion_timeout)) {
        throw std::runtime_error("MQTT publisher: connect timed out");
    }
}

mqtt_publisher::~mqtt_publisher() {
    try {
        if (client_->is_connected()) client_->disconnect()->wait_for(completion_timeout);
    } catch (const mqtt::exception&) {
        // the broker may already be gone at teardown
    }
}

void mqtt_publisher::publish(const std::string& topic, const std::string& payload, int qos, bool retained) {
    if (!publish_async(topic, payload, qos, retained)->wait_for(completion_timeout)) {
        throw std::runtime_error("MQTT publish to '" + topic + "' did not complete");
    }
}

mqtt::delivery_token_ptr mqtt_publisher::publish_async(const std::string& topic, const std::string& payload, int qos,
                                                       bool retained) {
    return client_->publish(topic, payload.data(), payload.size(), qos, retained);
}

}  // namespace sb_it
