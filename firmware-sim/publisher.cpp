#include "publisher.hpp"

#include <algorithm>
#include <chrono>
#include <iostream>
#include <optional>
#include <stdexcept>
#include <string_view>
#include <utility>

namespace sim {
namespace {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto k_connect_timeout = 5s;
// Behind schedule by more than this (stalled broker, full in-flight window): restart the
// schedule from now instead of bursting to catch up.
constexpr auto k_max_lag = 1s;

std::int64_t now_ms() {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

steady::duration seconds_to_duration(double seconds) {
    return std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(seconds));
}

bool is_tls_url(const std::string& url) {
    return url.rfind("ssl://", 0) == 0 || url.rfind("mqtts://", 0) == 0 ||
           url.rfind("wss://", 0) == 0;
}

}  // namespace

publisher::publisher(sim_options options, const stop_signal& stop)
    : options_(std::move(options)),
      stop_(stop),
      fleet_(options_.sensors, options_.seed, options_.rate_hz),
      layout_(std::make_shared<const device_layout>(fleet_.ids(), fleet_.kinds(),
                                                    options_.per_device)),
      format_(make_payload_format(
          options_.format,
          format_context{options_.topic_prefix, layout_, all_devices(*layout_), options_.seed})),
      faults_(options_.fault_rate, options_.seed) {}

publisher::~publisher() = default;

void publisher::connect() {
    // Offline buffering lets a broker restart pass without losing the loop; the buffer
    // never exceeds the in-flight window plus the held-back device messages and one round
    // of status messages (each at most one per sensor).
    const auto buffered = static_cast<int>(options_.max_inflight + 2 * fleet_.size() + 2);
    mqtt::create_options create(MQTTVERSION_DEFAULT, buffered);
    create.set_send_while_disconnected(true);
    client_ = std::make_unique<mqtt::async_client>(options_.mqtt_url, options_.client_id, create);
    // Paho thread: only raise flags; the loop does the work (handle_connection_events).
    client_->set_connected_handler([this](const std::string&) { connected_event_ = true; });
    client_->set_connection_lost_handler([this](const std::string&) { lost_event_ = true; });

    auto builder = mqtt::connect_options_builder()
                       .clean_session(true)
                       .keep_alive_interval(20s)
                       .connect_timeout(k_connect_timeout)
                       .automatic_reconnect(1s, 5s)  // short cap: recover fast from a restart
                       .will(mqtt::message(sim_status_topic(), "offline", 1, true));
    if (is_tls_url(options_.mqtt_url)) {
        // Check the broker's certificate and host name against the system trust store.
        builder.ssl(
            mqtt::ssl_options_builder().enable_server_cert_auth(true).verify(true).finalize());
    }
    const mqtt::token_ptr token = client_->connect(builder.finalize());
    if (!token->wait_for(k_connect_timeout + 2s)) throw std::runtime_error("connect timed out");
    publish_statuses("online");
}

void publisher::run() {
    const std::chrono::duration<double> interval(1.0 / (options_.rate_hz * fleet_.size()));
    const steady::time_point start = steady::now();
    const bool timed = options_.duration_s > 0.0;
    const steady::time_point end = start + seconds_to_duration(options_.duration_s);
    // Deadline = base + tick * interval, never accumulated, so the rate does not drift.
    // Sensors take turns, which spreads each sensor's readings evenly over its period.
    steady::time_point base = start;
    std::uint64_t tick = 0;
    while (!stop_.stop_requested() && (options_.count == 0 || messages_ < options_.count)) {
        handle_connection_events();
        const steady::time_point now = steady::now();
        if (timed && now >= end) break;
        const steady::time_point due =
            base + std::chrono::duration_cast<steady::duration>(interval * tick);
        if (due > now) {
            std::cout.flush();
            stop_.wait_until(timed ? std::min(due, end) : due);
            continue;
        }
        if (now - due > k_max_lag) {
            base = now;
            tick = 0;
        }
        if (!wait_for_slot()) break;
        publish_sample(static_cast<std::size_t>(samples_ % fleet_.size()));
        ++tick;
    }
    std::cout.flush();
}

void publisher::shutdown() {
    if (!client_) return;
    for (outgoing_message& message : format_->flush()) send_data(std::move(message));
    const bool connected = client_->is_connected();
    if (connected) publish_statuses("offline");
    // Bounded: a broker that is gone must not keep the simulator from exiting.
    const steady::time_point deadline =
        steady::now() + (connected ? seconds_to_duration(options_.drain_timeout_s) : 1s);
    readings_.wait_settled(deadline);
    statuses_.wait_settled(deadline);
    try {
        client_->disconnect(1s)->wait_for(3s);
    } catch (const mqtt::exception&) {
        // Already disconnected or the broker went away; nothing left to flush.
    }
}

void publisher::print_summary(std::ostream& out) const {
    out << "sent " << readings_.readings_started() << " readings ("
        << readings_.readings_unconfirmed() << " failed), " << faults_.total() << " faults, "
        << messages_ << " messages (" << readings_.failed() + readings_.outstanding()
        << " failed)\n";
    if (faults_.enabled()) {
        out << "faults by kind: " << faults_.counts_by_kind() << '\n'
            << "faults by bridge reason: " << faults_.counts_by_reason() << '\n';
    }
}

bool publisher::wait_for_slot() {
    while (!readings_.wait_below(options_.max_inflight, 100ms)) {
        if (stop_.stop_requested()) return false;
        handle_connection_events();
    }
    return true;
}

void publisher::publish_sample(std::size_t sensor_index) {
    const sim_reading reading = fleet_.sample(sensor_index, now_ms());
    for (outgoing_message& message : format_->encode(reading)) send_data(std::move(message));
    ++samples_;
}

void publisher::send_data(outgoing_message message) {
    ++messages_;
    if (std::optional<injected_fault> fault = faults_.replace(message)) {
        if (!options_.quiet) {
            std::cout << "FAULT " << fault_name(fault->kind) << " -> " << fault->message.topic
                      << '\n';
        }
        publish_message(std::move(fault->message), options_.qos, false, readings_);
        return;
    }
    if (!options_.quiet) print_readings(message);
    publish_message(std::move(message), options_.qos, false, readings_);
}

// One line per reading, named as the bridge will name it: "dev-1:temp 21.4 °C -> sensors/dev-1".
void publisher::print_readings(const outgoing_message& message) const {
    for (const carried_reading& reading : message.readings) {
        std::cout << reading.id << ' ' << reading.value << (reading.unit.empty() ? "" : " ")
                  << reading.unit << " -> " << message.topic << '\n';
    }
}

void publisher::publish_statuses(const char* state) {
    if (std::string_view(state) == "online") {  // configs before the birth message, as ESPHome does
        for (outgoing_message& message : format_->announcements()) publish_message(std::move(message), 1, true, statuses_);
    }
    for (outgoing_message& message : format_->statuses(state)) {
        publish_message(std::move(message), 1, true, statuses_);
    }
    publish_message(make_plain_message(sim_status_topic(), state), 1, true, statuses_);
}

void publisher::publish_message(outgoing_message message, int qos, bool retained,
                                delivery_tracker& tracker) {
    const std::uint64_t readings = message.readings.size();
    mqtt::message_ptr mqtt_message =
        mqtt::make_message(std::move(message.topic), std::move(message.payload), qos, retained);
    tracker.started(readings);
    try {
        client_->publish(std::move(mqtt_message), delivery_tracker::user_context(readings),
                         tracker);
    } catch (const mqtt::exception& error) {
        tracker.rejected(readings);
        if (!publish_error_reported_) {  // once: at high rates this would flood the terminal
            std::cerr << "sensor-sim: publish failed: " << error.what() << '\n';
            publish_error_reported_ = true;
        }
    }
}

void publisher::handle_connection_events() {
    if (lost_event_.exchange(false)) {
        std::cerr << "sensor-sim: connection lost, reconnecting\n";
        outage_ = true;
    }
    // The handler also fires for the first connect (already announced by connect()):
    // only a connect that follows a loss re-announces the sensors, whose retained
    // "online" may be gone if the broker restarted without persistence.
    if (connected_event_.exchange(false) && outage_) {
        std::cerr << "sensor-sim: reconnected\n";
        publish_statuses("online");
        outage_ = false;
    }
}

std::string publisher::sim_status_topic() const {
    // Outside the sensors' prefix and the bridge's default topics: the simulator's own
    // availability is not a sensor (docs/DASHBOARD.md).
    return "sensor-sim/" + options_.client_id + "/status";
}

}  // namespace sim
