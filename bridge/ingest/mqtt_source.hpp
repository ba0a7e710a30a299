#pragma once
// Where MQTT messages come from, behind an interface so the pipeline can be tested with a fake.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace sb {

// One received message. topic/payload point into storage kept alive by owner: no copy is made
// between the MQTT library and the network thread.
struct mqtt_message {
    std::shared_ptr<const void> owner;
    std::string_view topic;
    std::string_view payload;
    std::int64_t received_at = 0;  // ms since the epoch
    // The same moment on the steady clock, for the delivery-latency histogram; default: unknown.
    std::chrono::steady_clock::time_point received_steady{};
};

class mqtt_source {
public:
    // Called on the library's thread, holding its lock: hand the message off, nothing else.
    using message_handler = std::function<void(mqtt_message&&)>;
    // Called when the broker session is up (subscriptions requested) or lost.
    using state_handler = std::function<void(bool connected)>;

    virtual ~mqtt_source() = default;
    virtual void start(message_handler on_message, state_handler on_state) = 0;
    virtual void stop() = 0;  // disconnects; no handler runs once it returns
    virtual bool connected() const = 0;
    // Fire-and-forget publish (QoS 0) from the network thread; false when it could not be
    // queued (disconnected or the library's buffer is full).
    virtual bool publish(const std::string& topic, std::string payload) = 0;
    virtual std::uint64_t reconnects() const = 0;
};

}  // namespace sb
