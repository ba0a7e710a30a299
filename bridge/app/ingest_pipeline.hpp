#pragma once
// The data path on the network thread: normalize -> seq -> sensor registry -> one message ->
// hub fan-out -> persistence. Never throws, never blocks on disk. Everything it feeds is
// behind a reference it is given: the unit test runs it without sockets or SQLite.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/discovery_registry.hpp"
#include "core/latency_histogram.hpp"
#include "core/log_limiter.hpp"
#include "core/stats.hpp"
#include "ingest/mqtt_source.hpp"
#include "ingest/redelivery_filter.hpp"
#include "ingest/topic_filter.hpp"
#include "normalize/normalizer.hpp"
#include "wire/out_message.hpp"

namespace sb {

class hub;
class reading_sink;
class sensor_registry;
struct status_change;

// Wraps a message's JSON text for every recipient: the WebSocket transport's prepared form
// in the bridge (make_prepared_message), plain text in tests.
using make_message_fn = out_message_ptr (*)(std::string text);


class ingest_pipeline {
public:
    ingest_pipeline(normalize_options nopts, std::vector<topic_filter> filters, sensor_registry& latest, hub& h,
                    reading_sink& store, make_message_fn make_message);

    // Where rejected messages are republished (--dead-letter-topic); returns false when the
    // envelope could not be queued. Unset: rejections are only counted and logged.
    using dead_letter_sink = std::function<bool(std::string envelope)>;
    void set_dead_letter_sink(dead_letter_sink sink) { dead_letter_ = std::move(sink); }

    // Reads a topic besides the configured filters (add) or no more (Home Assistant discovery's
    // state and availability topics): mqtt_source::add_topic / remove_topic. Unset: not read.
    using topic_subscriber = std::function<void(const std::string& topic, bool add)>;
    void set_topic_subscriber(topic_subscriber s) { subscriber_ = std::move(s); }

    void process(const mqtt_message& m);
    // A message refused before processing (ingest queue full), counted on the network thread.
    void count_rejected(std::string_view reason, std::uint64_t n = 1);

    // Forgets a sensor: registry (latest, history, status), its stored rows, and a
    // sensor.removed to its rooms. False when the bridge knew nothing of it.
    bool forget(std::string_view sensor_id);
    // Forgets every sensor whose last reading (or, for one known only by a status, last
    // status) is older than silent_ms; returns how many (--forget-after).
    std::size_t forget_silent(std::int64_t silent_ms);

    // Pushes a sensor.status message to the sensor's rooms (also for the staleness monitor).
    void publish_status(const status_change& change);

    const ingest_stats& stats() const noexcept { return stats_; }
    // Readings delivered live but not handed to the store because its backlog was full.
    std::uint64_t unpersisted() const noexcept { return unpersisted_; }
    // MQTT receipt -> end of the hub fan-out, one observation per reading that reached at
    // least one client at once (held by maxRateHz only: not observed).
    histogram_snapshot delivery_latency() const { return delivery_seconds_.snapshot(); }

private:
    void publish(reading r, std::chrono::steady_clock::time_point received);
    void reject(const mqtt_message& m, std::string_view reason, const std::string& detail);
    void report(const mqtt_message& m, std::string_view reason, const std::string& detail, std::string_view what);
    std::string refused_detail(const std::vector<std::string>& ids, std::size_t readings) const;
    void apply_status(const status_update& st);
    bool retained_known(const reading& r) const;
    void publish_readings(const mqtt_message& m, std::vector<reading>& readings, std::uint64_t payload_hash);
    // Home Assistant discovery (ingest_discovery.cpp): true when the message was discovery's.
    bool discovery_message(const mqtt_message& m, std::uint64_t payload_hash);
    void on_config(const mqtt_message& m, const ha_config_topic& where, std::uint64_t payload_hash);
    void on_discovered_state(const mqtt_message& m, const discovery_registry::topic_use& use,
                             std::uint64_t payload_hash);
    bool on_discovered_availability(const mqtt_message& m, const discovery_registry::topic_use& use);
    std::string discovered_sensor_id(const ha_entity& config) const;
    void apply_discovery_change(const discovery_registry::change& ch);
    void set_meta(const std::string& sensor_id, std::shared_ptr<const sensor_meta> meta);
    bool covered(const std::string& topic) const;

    normalizer normalizer_;
    redelivery_filter redelivered_;
    normalize_result scratch_;  // process()'s, reused: its readings keep their capacity
    std::vector<topic_filter> filters_;
    sensor_registry& latest_;
    hub& hub_;
    reading_sink& store_;
    make_message_fn make_message_;
    ingest_stats stats_;
    std::uint64_t unpersisted_ = 0;
    dead_letter_sink dead_letter_;
    discovery_registry discovery_;
    topic_subscriber subscriber_;
    log_limiter reject_log_{5, std::chrono::seconds(1)};
    latency_histogram delivery_seconds_{0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
                                        0.025,  0.05,    0.1,    0.25,  0.5,    1,     2.5};
};

}  // namespace sb
