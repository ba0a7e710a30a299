#pragma once
// Where MQTT messages come from, behind an interface so the pipeline can be tested with a fake.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

// ssl:// and mqtts:// brokers speak TLS; tcp:// and mqtt:// do not.
inline bool is_tls_broker_url(std::string_view url) {
    return url.rfind("ssl://", 0) == 0 || url.rfind("mqtts://", 0) == 0;
}

// Files for a TLS broker (PEM). The broker's certificate is always verified, its host name
// included: there is no switch to turn that off.
struct mqtt_tls_options {
    std::string ca_file;    // empty: the system's trust store
    std::string cert_file;  // client certificate, with key_file; empty: none
    std::string key_file;   // unencrypted
};

// How a source connects; the same for every implementation.
struct mqtt_source_options {
    std::vector<std::string> urls{"tcp://127.0.0.1:1883"};  // brokers, tried in order (broker_rotation)
    std::string client_id;
    std::vector<std::string> topics{"sensors/#"};
    // false: a persistent session (needs a fixed client id): the broker keeps the subscriptions
    // and queues QoS 1 messages while the bridge is away, and delivers them when it returns.
    bool clean_session = true;
    std::string username;
    std::string password;   // read from --mqtt-password-file; never logged
    mqtt_tls_options tls;   // used with an ssl:// or mqtts:// url
    int qos = 1;
    std::chrono::seconds keep_alive{30};
    std::chrono::milliseconds backoff_min{1000};
    std::chrono::milliseconds backoff_max{30000};
    std::size_t max_packet = 64 * 1024 + 4096;  // larger PUBLISHes reach the handler truncated
    // Under load, the pause between reads of the broker's stream (read_pacer); 0: none.
    std::chrono::microseconds batch_interval{0};
};

// One received message. topic/payload point into storage kept alive by owner (no copy between
// the MQTT library and the network thread), or, for a source with inline_delivery(), into its
// read buffer: valid only during the handler call.
struct mqtt_message {
    std::shared_ptr<const void> owner;
    std::string_view topic;
    std::string_view payload;
    std::int64_t received_at = 0;  // ms since the epoch
    // The same moment on the steady clock, for the delivery-latency histogram; default: unknown.
    std::chrono::steady_clock::time_point received_steady{};
    // The broker sent it because the bridge subscribed, from what it retains (MQTT 3.1.1
    // §3.3.1.3: a live message on an established subscription never carries the flag).
    bool retained = false;
    // A QoS 1 or 2 resend: the broker did not see the bridge's acknowledgement of packet_id.
    bool dup = false;
    std::uint8_t qos = 0;
    std::uint16_t packet_id = 0;  // 0 for QoS 0, and where the client does not expose it
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
    // The broker in use, or being tried when not connected (scheme://host:port); any thread.
    virtual std::string broker() const = 0;
    // Wake-ups that read the broker's stream after a batch pause (--mqtt-batch-us).
    virtual std::uint64_t paced_reads() const { return 0; }
    // An exact topic to read besides the configured filters, from now on and after every
    // reconnect (Home Assistant discovery names state and availability topics anywhere), and its
    // removal. Called on the network thread; the SUBSCRIBE leaves when the session is up.
    virtual void add_topic(const std::string& topic) = 0;
    virtual void remove_topic(const std::string& topic) = 0;
    // True when the handler runs on the network thread itself, with views into the source's
    // read buffer: the caller processes the message before returning instead of queueing it.
    virtual bool inline_delivery() const { return false; }
};

}  // namespace sb
