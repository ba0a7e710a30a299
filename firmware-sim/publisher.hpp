// The MQTT side of the simulator: connects, paces readings, reports status, shuts down.
#pragma once

#include "delivery_tracker.hpp"
#include "device_layout.hpp"
#include "fault_injector.hpp"
#include "payload_format.hpp"
#include "sensor_fleet.hpp"
#include "sim_options.hpp"
#include "stop_signal.hpp"

#include <mqtt/async_client.h>

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

namespace sim {

// Device status (docs/CONVENTIONS.md status topics). One MQTT connection has only one will, so:
//  - each sensor (canonical, bare) or device (senml, multi, shelly-gen2, esphome) gets
//    "online" (retained; Shelly: true) on its status topic (see payload_format::statuses)
//    at start and after every reconnect, and "offline" (false) at a clean exit;
//  - the connection's will is "offline" (retained) on "sensor-sim/<client-id>/status",
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
    // Publishes until --count messages, --duration-s, or SIGINT/SIGTERM.
    void run();
    // Sends what the format still holds, announces "offline", waits (bounded) for
    // outstanding deliveries, disconnects.
    void shutdown();

    // How sensors map to formats (mixed), for the start-up log; empty when obvious.
    std::string format_plan() const { return format_->describe(); }
    // "sent R readings (M failed), F faults, P messages (Q failed)", then with --faults the
    // counts per fault kind and per bridge rejection reason. Failed = failed or never
    // confirmed before the exit deadline.
    void print_summary(std::ostream& out) const;

private:
    bool wait_for_slot();
    void publish_sample(std::size_t sensor_index);
    // A data message, or the fault that replaces it.
    void send_data(outgoing_message message);
    void print_readings(const outgoing_message& message) const;
    void publish_statuses(const char* state);
    void publish_message(outgoing_message message, int qos, bool retained,
                         delivery_tracker& tracker);
    void handle_connection_events();
    std::string sim_status_topic() const;

    sim_options options_;
    const stop_signal& stop_;
    sensor_fleet fleet_;
    std::shared_ptr<const device_layout> layout_;
    std::unique_ptr<payload_format> format_;
    fault_injector faults_;
    delivery_tracker readings_;
    delivery_tracker statuses_;
    std::atomic<bool> connected_event_{false};
    std::atomic<bool> lost_event_{false};
    bool outage_ = false;
    bool publish_error_reported_ = false;
    std::uint64_t samples_ = 0;   // readings taken from the fleet
    std::uint64_t messages_ = 0;  // data messages (faults included) handed to Paho
    // Declared last: destroyed first, so Paho stops calling back before the rest goes.
    std::unique_ptr<mqtt::async_client> client_;
};

}  // namespace sim
