#include "esphome_format.hpp"

#include <utility>

namespace sim {
namespace {

// ESPHome's object id is the entity's name, lowercased with '_' for spaces.
const char* object_id(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "temperature";
    case sensor_kind::humidity: return "humidity";
    case sensor_kind::co2: return "co2";
    case sensor_kind::power: return "power";
    case sensor_kind::door: return "door";
    }
    return "value";
}

}  // namespace

esphome_format::esphome_format(format_context context) : context_(std::move(context)) {}

std::string esphome_format::node_name(const device_layout& layout, std::size_t device) {
    return "esphome-" + layout.device_name(device);
}

std::vector<outgoing_message> esphome_format::encode(const sim_reading& reading) {
    const std::string node = node_name(*context_.layout, context_.layout->device_of(reading.index));
    const std::string object = object_id(reading.kind);
    outgoing_message message;
    if (const bool* open = std::get_if<bool>(&reading.value)) {
        message.topic = node + "/binary_sensor/" + object + "/state";
        message.payload = *open ? "ON" : "OFF";
    } else {
        message.topic = node + "/sensor/" + object + "/state";
        message.payload = value_to_text(reading.value);
    }
    message.shape = wire_shape::esphome;
    message.subject = node;
    message.readings.push_back({node + "." + object, value_to_text(reading.value), reading.unit});
    return {std::move(message)};
}

std::vector<outgoing_message> esphome_format::statuses(const char* state) const {
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context_.devices) {
        messages.push_back(
            make_plain_message(node_name(*context_.layout, device) + "/status", state));
    }
    return messages;
}

}  // namespace sim
