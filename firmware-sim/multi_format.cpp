#include "multi_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

namespace sim {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::uint32_t k_radio_stream = 0x72616469;  // "radi": apart from the signal streams
constexpr double k_battery_drain = 0.01;               // percent per message

// Zigbee2MQTT's names for these exposes.
const char* metric_key(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "temperature";
    case sensor_kind::humidity: return "humidity";
    case sensor_kind::co2: return "co2";
    case sensor_kind::power: return "power";
    case sensor_kind::door: return "contact";
    }
    return "value";
}

reading_value wire_value(const sim_reading& reading) {
    if (const bool* open = std::get_if<bool>(&reading.value)) return !*open;  // contact = closed
    return reading.value;
}

struct metric {
    std::string key;
    reading_value value;
    std::string unit;  // for the log line only: Zigbee2MQTT sends no units
};

std::string metrics_json(const std::vector<metric>& metrics) {
    rapidjson::StringBuffer buffer;
    json_writer writer(buffer);
    writer.StartObject();
    for (const metric& m : metrics) {
        writer.Key(m.key.c_str(), static_cast<rapidjson::SizeType>(m.key.size()));
        const std::string text = value_to_text(m.value);
        writer.RawValue(text.c_str(), text.size(), rapidjson::kNumberType);
    }
    writer.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

multi_format::multi_format(format_context context)
    : context_(std::move(context)), batch_(context_.layout) {}

std::vector<outgoing_message> multi_format::encode(const sim_reading& reading) {
    const std::vector<sim_reading> group = batch_.add(reading);
    if (group.empty()) return {};
    return {object(group)};
}

std::vector<outgoing_message> multi_format::flush() {
    std::vector<outgoing_message> messages;
    for (const std::vector<sim_reading>& group : batch_.drain()) messages.push_back(object(group));
    return messages;
}

std::vector<outgoing_message> multi_format::statuses(const char* state) const {
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context_.devices) {
        messages.push_back(make_plain_message(
            context_.topic_prefix + "/" + context_.layout->device_name(device) + "/availability",
            std::string("{\"state\":\"") + state + "\"}"));
    }
    return messages;
}

multi_format::radio& multi_format::radio_of(std::size_t device) {
    while (radios_.size() <= device) {
        const auto number = static_cast<std::uint32_t>(radios_.size());
        std::seed_seq seq{static_cast<std::uint32_t>(context_.seed),
                          static_cast<std::uint32_t>(context_.seed >> 32), number, k_radio_stream};
        radio r{std::mt19937_64(seq)};
        r.battery = std::uniform_real_distribution<double>(55.0, 100.0)(r.rng);
        r.link = std::uniform_real_distribution<double>(40.0, 200.0)(r.rng);
        radios_.push_back(std::move(r));
    }
    return radios_[device];
}

outgoing_message multi_format::object(const std::vector<sim_reading>& group) {
    const std::size_t number = context_.layout->device_of(group[0].index);
    const std::string device = context_.layout->device_name(number);
    std::vector<metric> metrics;
    for (const sim_reading& reading : group) {
        metrics.push_back({metric_key(reading.kind), wire_value(reading), reading.unit});
    }
    radio& r = radio_of(number);
    r.battery = std::max(r.battery - k_battery_drain, 1.0);
    const double link = std::normal_distribution<double>(r.link, 8.0)(r.rng);
    metrics.push_back({"battery", std::floor(r.battery), "%"});
    metrics.push_back({"linkquality", std::clamp(std::round(link), 0.0, 255.0), ""});

    outgoing_message message;
    for (const metric& m : metrics) {
        message.readings.push_back({device + "." + m.key, value_to_text(m.value), m.unit});
    }
    message.topic = context_.topic_prefix + "/" + device;
    message.payload = metrics_json(metrics);
    message.shape = wire_shape::multi;
    message.subject = device;
    return message;
}

}  // namespace sim
