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

// The entity's name and Home Assistant device class.
const char* title(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "Temperature";
    case sensor_kind::humidity: return "Humidity";
    case sensor_kind::co2: return "CO2";
    case sensor_kind::power: return "Power";
    case sensor_kind::door: return "Door";
    }
    return "Value";
}

const char* device_class(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "temperature";
    case sensor_kind::humidity: return "humidity";
    case sensor_kind::co2: return "carbon_dioxide";
    case sensor_kind::power: return "power";
    case sensor_kind::door: return "door";
    }
    return "";
}

// Abbreviated keys, as ESPHome writes them. Node names and the fixed texts need no escaping.
std::string discovery_config(const std::string& node, const char* component, sensor_kind kind) {
    const std::string object = object_id(kind);
    std::string json = "{\"name\":\"" + node + " " + title(kind) + "\",\"stat_t\":\"" + node + "/" + component +
                       "/" + object + "/state\",\"avty_t\":\"" + node + "/status\",\"uniq_id\":\"" + node + "-" +
                       component + "-" + object + "\",\"dev_cla\":\"" + device_class(kind) + "\"";
    const std::string unit = kind_unit(kind);
    if (!unit.empty()) json += ",\"unit_of_meas\":\"" + unit + "\",\"stat_cla\":\"measurement\"";
    json += ",\"dev\":{\"ids\":\"" + node + "\",\"name\":\"" + node + "\",\"mf\":\"espressif\",\"mdl\":\"sensor-sim\"}}";
    return json;
}

}  // namespace

std::vector<outgoing_message> esphome_format::announcements() const {
    const device_layout& layout = *context_.layout;
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context_.devices) {
        const std::string node = node_name(layout, device);
        for (std::size_t s = layout.first_sensor(device); s < layout.end_sensor(device); ++s) {
            const sensor_kind kind = layout.kind(s);
            const char* component = kind == sensor_kind::door ? "binary_sensor" : "sensor";
            messages.push_back(make_plain_message(
                std::string("homeassistant/") + component + "/" + node + "/" + object_id(kind) + "/config",
                discovery_config(node, component, kind)));
        }
    }
    return messages;
}

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
