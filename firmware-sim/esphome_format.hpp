// ESPHome nodes over MQTT: one plain-text state topic per entity (docs/CONVENTIONS.md,
// "ESPHome").
#pragma once

#include "device_layout.hpp"
#include "payload_format.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace sim {

// Each device is an ESPHome node named "esphome-<device>" ("esphome-dev-1"); its topics
// start with the node name, not with --topic-prefix, as ESPHome's default topic_prefix does.
// Every reading is one message as it is sampled, the bridge naming it "<node>.<object>":
//   temperature, humidity, co2, power  "<node>/sensor/<kind>/state"  21.4
//                                       -> esphome-dev-1.temperature (no unit on the wire)
//   door   "<node>/binary_sensor/door/state"  ON (open) / OFF  -> esphome-dev-1.door = true
// Status: "<node>/status" with online/offline, ESPHome's birth message and will.
// Announcements: a retained Home Assistant discovery config per entity, as ESPHome's mqtt
// component publishes them by default ("homeassistant/sensor/<node>/temperature/config": name,
// state and availability topics, unit, device class, the node as the device), so the bridge
// shows names, units and device classes and groups each node's tiles.
class esphome_format final : public payload_format {
public:
    explicit esphome_format(format_context context);

    std::vector<outgoing_message> encode(const sim_reading& reading) override;
    std::vector<outgoing_message> statuses(const char* state) const override;
    std::vector<outgoing_message> announcements() const override;

    static std::string node_name(const device_layout& layout, std::size_t device);

private:
    format_context context_;
};

}  // namespace sim
