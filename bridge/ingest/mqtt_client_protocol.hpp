#pragma once
// The client side of MQTT 3.1.1 for the built-in source, without I/O: the phases of a session
// (CONNECT sent, CONNACK, one SUBSCRIBE per filter, every SUBACK, up), what each packet from the
// broker asks for (a PUBLISH goes to the events, then its PUBACK or PUBREC is queued; a PUBREL
// is answered with PUBCOMP), and the framing of the broker's byte stream (an oversize PUBLISH
// is delivered from what the read buffer holds, then the rest of it skipped as it arrives).
// asio_mqtt_source owns the socket, the timers and the read buffer, and feeds it.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ingest/mqtt_codec.hpp"

namespace sb {

// What the protocol tells its source (asio_mqtt_source; a fake in tests).
class mqtt_protocol_events {
public:
    virtual ~mqtt_protocol_events() = default;
    virtual void on_accepted() = 0;  // CONNACK 0: the SUBSCRIBEs are queued
    virtual void on_subscribed(std::size_t granted, std::size_t refused) = 0;  // every SUBACK is in
    virtual void on_publish(const mqtt_codec::publish_view& p) = 0;  // its acknowledgement follows
    // Handling an event stopped or failed the source: feed() returns at once.
    virtual bool halted() const = 0;
};

class mqtt_client_protocol {
public:
    enum class phase { idle, handshake, subscribing, up };

    // max_packet: the largest packet handled whole; larger PUBLISHes arrive truncated.
    mqtt_client_protocol(std::vector<std::string> topics, int qos, std::size_t max_packet,
                         mqtt_protocol_events& events);

    // A new connection: CONNECT is appended to out.
    void begin(const mqtt_codec::connect_fields& f, std::string& out);
    // The connection is gone.
    void end() noexcept;

    struct feed_result {
        std::size_t consumed = 0;  // bytes at the start of data that are done with
        std::size_t packets = 0;   // packets handled
        bool stop = false;         // the connection ends: error says why, or the source halted
        std::string error;
    };
    // data: every byte read and not yet consumed; buffer_full: data fills the read buffer, so
    // a packet that does not fit will never be whole. Replies are appended to out.
    feed_result feed(std::string_view data, bool buffer_full, std::string& out);

    phase current() const noexcept { return phase_; }

    // Topics added at run time (Home Assistant discovery's state and availability topics):
    // subscribed at once when the session is up, and after every CONNACK with the configured
    // ones. A SUBSCRIBE or UNSUBSCRIBE for the session in progress is appended to out.
    void add_topic(const std::string& topic, std::string& out);
    void remove_topic(const std::string& topic, std::string& out);
    std::size_t extra_topics() const noexcept { return extra_.size(); }

private:
    std::string handle(const mqtt_codec::packet& p, std::string& out);  // "" or why to drop the connection
    void deliver(std::uint8_t header, std::string_view body, bool truncated, std::string& out);
    void on_suback(std::string_view body);
    void go_up();
    std::uint16_t next_id() noexcept;

    std::vector<std::string> topics_;
    std::set<std::string> extra_;  // add_topic's: up to one per discovered topic, O(log n) each
    int qos_;
    std::size_t max_packet_;
    mqtt_protocol_events& events_;
    phase phase_ = phase::idle;
    std::size_t skip_ = 0;  // bytes of an oversize packet still to discard
    std::uint16_t next_packet_id_ = 1;
    std::size_t pending_subacks_ = 0;
    std::size_t refused_subs_ = 0;
};

}  // namespace sb
