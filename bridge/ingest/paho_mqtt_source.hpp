#pragma once
// mqtt_source on the Paho MQTT C++ async client. Reconnects with capped exponential backoff and
// jitter, resubscribes to every filter after each (re)connect (Paho does not), and never blocks
// or calls back into the client from its callbacks: the work is posted to the io_context.
// connected() turns true only when every filter's SUBACK is in (a refused filter is logged).
// ssl:// and mqtts:// brokers: the certificate chain AND the host name are verified (Paho checks
// the name only when asked to); a failed attempt is explained by a tls_probe in the log.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>
#include <mqtt/async_client.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ingest/broker_rotation.hpp"
#include "ingest/mqtt_source.hpp"
#include "ingest/reconnect_backoff.hpp"
#include "ingest/tls_probe.hpp"

namespace sb {

class paho_mqtt_source final : public mqtt_source {
public:
    // Throws std::runtime_error for an invalid URL (start-up only).
    paho_mqtt_source(asio::io_context& io, mqtt_source_options opts);
    ~paho_mqtt_source() override;

    void start(message_handler on_message, state_handler on_state) override;
    void stop() override;
    bool connected() const override { return connected_.load(); }
    bool publish(const std::string& topic, std::string payload) override;
    std::uint64_t reconnects() const override { return reconnects_.load(); }
    std::string broker() const override { return rotation_.shown(); }
    void add_topic(const std::string& topic) override;     // network thread
    void remove_topic(const std::string& topic) override;  // network thread

private:
    class connect_listener;
    class subscribe_listener;

    void connect();                 // network thread
    void on_connected();            // network thread
    void on_subscribed(std::uintptr_t session, bool ok, const std::string& topic);  // network thread
    void on_connect_failed(const std::string& why);  // network thread
    void apply_tls(mqtt::connect_options& co) const;
    void on_lost(const std::string& cause);          // network thread
    void schedule_reconnect();
    void subscribe(const std::string& topic);  // network thread, a session up or subscribing

    asio::io_context& io_;
    mqtt_source_options opts_;
    std::unique_ptr<mqtt::async_client> client_;
    asio::steady_timer retry_timer_;
    std::unique_ptr<connect_listener> listener_;
    std::unique_ptr<subscribe_listener> sub_listener_;
    std::unique_ptr<tls_probe> tls_probe_;  // ssl:// and mqtts:// only
    broker_rotation rotation_;
    message_handler on_message_;
    state_handler on_state_;
    reconnect_backoff backoff_;
    std::atomic<bool> connected_{false};
    std::atomic<bool> stopped_{false};
    std::atomic<std::uint64_t> reconnects_{0};
    bool ever_connected_ = false;
    std::uintptr_t session_ = 0;        // network thread: bumped on every connect and loss
    std::size_t pending_subacks_ = 0;   // network thread
    std::size_t refused_subs_ = 0;      // network thread
    std::set<std::string> extra_;       // network thread: add_topic's
    bool session_open_ = false;         // network thread: CONNACK seen, not lost since
};

}  // namespace sb
