// The MQTT side of the simulator: connects, paces readings, reports status, shuts down.
#pragma once

#include "delivery_tracker.hpp"
#include "payload_format.hpp"
#include "sensor_fleet.hpp"
#include "sim_options.hpp"
#include "stop_signal.hpp"

#include <mqtt/async_client.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace sim {

// Device status (DESIGN.md §4 status topics). One MQTT connection has only one will, so:
//  - each sensor gets "online" (retained) on "<prefix>/<id>/status" at start and after
//    every reconnect, and "offline" (retained) at a clean exit;
//  - the connection's will is "offline" (retained) on "<prefix>/sim-<client-id>/status",
//    which is "online" while the simulator runs. A crash therefore shows up on that one
//    topic only; the per-sensor topics keep their last retained state.
class publisher {
public:
    publisher(sim_options options, const stop_signal& stop);
    ~publisher();
    publisher(const publisher&) = delete;
    publisher& operator=(const publisher&) = delete;

    // Connects and announces the sensors. Throws (mqtt::exception, std::runtime_error)
    // when the broker cannot be reached.
    void connect();
    // Publishes until --count readings, --duration-s, or SIGINT/SIGTERM.
    void run();
    // Announces "offline", waits (bounded) for outstanding deliveries, disconnects.
    void shutdown();

    std::uint64_t readings_sent() const { return sent_; }
    // Readings Paho failed to deliver or never confirmed before the exit deadline.
    std::uint64_t readings_failed() const;

private:
    bool wait_for_slot();
    void publish_reading(std::size_t sensor_index);
    void publish_statuses(const char* state);
    void publish_message(outgoing_message message, int qos, bool retained,
                         delivery_tracker& tracker);
    void handle_connection_events();
    std::string sim_status_topic() const;

    sim_options options_;
    const stop_signal& stop_;
    sensor_fleet fleet_;
    std::unique_ptr<payload_format> format_;
    delivery_tracker readings_;
    delivery_tracker statuses_;
    std::atomic<bool> connected_event_{false};
    std::atomic<bool> lost_event_{false};
    bool outage_ = false;
    bool publish_error_reported_ = false;
    std::uint64_t sent_ = 0;
    // Declared last: destroyed first, so Paho stops calling back before the rest goes.
    std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace sim
