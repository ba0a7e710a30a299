#pragma once
// mqtt_source as a lean MQTT 3.1.1 client on the network io_context (plain TCP). It reads the
// broker's stream in large chunks, hands each PUBLISH to the handler as views into its read
// buffer (no copy, no allocation, no thread hop) and acknowledges QoS 1 after the handler has
// taken the message, batching every PUBACK of a read into one write. Reconnects with capped
// exponential backoff and jitter, resubscribes after every connect, and reports connected only
// once every SUBACK is in. Paho (paho_mqtt_source) remains the client for TLS broker URLs.
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "ingest/broker_rotation.hpp"
#include "ingest/broker_url.hpp"
#include "ingest/mqtt_client_protocol.hpp"
#include "ingest/mqtt_source.hpp"
#include "ingest/read_pacer.hpp"
#include "ingest/reconnect_backoff.hpp"

namespace sb {

class asio_mqtt_source final : public mqtt_source, private mqtt_protocol_events {
public:
    // Throws std::runtime_error for an invalid or non-TCP URL (start-up only).
    asio_mqtt_source(asio::io_context& io, mqtt_source_options opts);
    ~asio_mqtt_source() override;

    void start(message_handler on_message, state_handler on_state) override;
    void stop() override;
    bool connected() const override { return connected_.load(std::memory_order_relaxed); }
    bool publish(const std::string& topic, std::string payload) override;
    std::uint64_t reconnects() const override { return reconnects_.load(std::memory_order_relaxed); }
    std::string broker() const override { return rotation_.shown(); }
    std::uint64_t paced_reads() const override { return paced_reads_.load(std::memory_order_relaxed); }
    bool inline_delivery() const override { return true; }
    void add_topic(const std::string& topic) override;
    void remove_topic(const std::string& topic) override;

private:
    enum class link { idle, connecting, open };  // the TCP side; the MQTT side is protocol_'s

    void connect();
    void on_tcp_connected(std::uint64_t session);
    void read(std::uint64_t session);
    void read_batch(std::uint64_t session);
    void next_read(std::uint64_t session, bool full);
    std::size_t read_room() const;
    bool on_read(std::uint64_t session, std::size_t n);  // false: the connection ended
    // mqtt_protocol_events
    void on_accepted() override;
    void on_subscribed(std::size_t granted, std::size_t refused) override;
    void on_publish(const mqtt_codec::publish_view& pub) override;
    bool halted() const override { return stopped_ || link_ != link::open; }
    void queue(const std::string& bytes);
    void flush();
    void arm_keepalive(std::uint64_t session);
    void fail(const std::string& why);
    void schedule_reconnect();

    asio::io_context& io_;
    mqtt_source_options opts_;
    broker_rotation rotation_;
    std::vector<broker_address> addresses_;  // one per rotation_ URL
    asio::ip::tcp::resolver resolver_;
    asio::ip::tcp::socket socket_;
    asio::steady_timer retry_timer_;
    asio::steady_timer handshake_timer_;
    asio::steady_timer keepalive_timer_;
    asio::steady_timer batch_timer_;
    read_pacer pacer_;
    std::size_t packets_ = 0;  // messages read since the last pacing decision
    message_handler on_message_;
    state_handler on_state_;
    reconnect_backoff backoff_;
    mqtt_client_protocol protocol_;

    std::vector<char> rbuf_;
    std::size_t rlen_ = 0;
    std::string pending_out_;  // appended to while a write is in flight
    std::string writing_;      // the bytes of the write in flight
    bool write_in_flight_ = false;
    std::int64_t last_rx_ms_ = 0;  // steady ms of the last byte from the broker
    std::chrono::steady_clock::time_point read_at_{};  // when the current read came in
    std::int64_t read_at_ms_ = 0;                      // the same on the wall clock

    link link_ = link::idle;
    std::uint64_t session_ = 0;  // bumped by every connect and every failure: stale handlers bail out
    bool ever_connected_ = false;
    bool stopped_ = false;
    std::atomic<bool> connected_{false};
    std::atomic<std::uint64_t> reconnects_{0};
    std::atomic<std::uint64_t> paced_reads_{0};
};

}  // namespace sb
