#include "payload_format.hpp"

#include "esphome_format.hpp"
#include "mixed_format.hpp"
#include "multi_format.hpp"
#include "senml_format.hpp"
#include "shelly_gen2_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>

namespace sim {
namespace {

// "<prefix>/<sensor id>/status" for every sensor of the context's devices.
std::vector<outgoing_message> sensor_statuses(const format_context& context, const char* state) {
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context.devices) {
        for (std::size_t s = context.layout->first_sensor(device);
             s < context.layout->end_sensor(device); ++s) {
            messages.push_back(make_plain_message(
                context.topic_prefix + "/" + context.layout->sensor_id(s) + "/status", state));
        }
    }
    return messages;
}

outgoing_message single_message(const format_context& context, const sim_reading& reading,
                                wire_shape shape, std::string payload) {
    outgoing_message message;
    message.topic = context.topic_prefix + "/" + reading.sensor_id;
    message.payload = std::move(payload);
    message.shape = shape;
    message.subject = reading.sensor_id;
    message.readings.push_back({reading.sensor_id, value_to_text(reading.value), reading.unit});
    return message;
}

// {"sensorId":"temp-1","value":21.4,"unit":"°C","timestamp":1795000000123}
// "unit" is left out for unitless readings (door).
class canonical_format final : public payload_format {
public:
    explicit canonical_format(format_context context) : context_(std::move(context)) {}

    std::vector<outgoing_message> encode(const sim_reading& reading) override {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        const std::string value = value_to_text(reading.value);
        writer.StartObject();
        writer.Key("sensorId");
        writer.String(reading.sensor_id.c_str(),
                      static_cast<rapidjson::SizeType>(reading.sensor_id.size()));
        writer.Key("value");
        writer.RawValue(value.c_str(), value.size(),
                        std::holds_alternative<bool>(reading.value) ? rapidjson::kTrueType
                                                                    : rapidjson::kNumberType);
        if (!reading.unit.empty()) {
            writer.Key("unit");
            writer.String(reading.unit.c_str(),
                          static_cast<rapidjson::SizeType>(reading.unit.size()));
        }
        writer.Key("timestamp");
        writer.Int64(reading.timestamp_ms);
        writer.EndObject();
        return {single_message(context_, reading, wire_shape::canonical,
                               std::string(buffer.GetString(), buffer.GetSize()))};
    }

    std::vector<outgoing_message> statuses(const char* state) const override {
        return sensor_statuses(context_, state);
    }

private:
    format_context context_;
};

// The bare value: "21.4", "true"/"false"; id and unit are implied by the topic.
class bare_format final : public payload_format {
public:
    explicit bare_format(format_context context) : context_(std::move(context)) {}

    std::vector<outgoing_message> encode(const sim_reading& reading) override {
        return {single_message(context_, reading, wire_shape::bare, value_to_text(reading.value))};
    }

    std::vector<outgoing_message> statuses(const char* state) const override {
        return sensor_statuses(context_, state);
    }

private:
    format_context context_;
};

}  // namespace

const std::map<std::string, format_kind>& format_names() {
    static const std::map<std::string, format_kind> names{
        {"canonical", format_kind::canonical}, {"bare", format_kind::bare},
        {"senml", format_kind::senml},         {"multi", format_kind::multi},
        {"shelly-gen2", format_kind::shelly_gen2},
        {"esphome", format_kind::esphome},     {"mixed", format_kind::mixed},
    };
    return names;
}

outgoing_message make_plain_message(std::string topic, std::string payload) {
    outgoing_message message;
    message.topic = std::move(topic);
    message.payload = std::move(payload);
    return message;
}

std::vector<std::size_t> all_devices(const device_layout& layout) {
    std::vector<std::size_t> devices(layout.devices());
    for (std::size_t d = 0; d < devices.size(); ++d) devices[d] = d;
    return devices;
}

std::unique_ptr<payload_format> make_payload_format(format_kind kind, format_context context) {
    switch (kind) {
    case format_kind::canonical: return std::make_unique<canonical_format>(std::move(context));
    case format_kind::bare: return std::make_unique<bare_format>(std::move(context));
    case format_kind::senml: return std::make_unique<senml_format>(std::move(context));
    case format_kind::multi: return std::make_unique<multi_format>(std::move(context));
    case format_kind::shelly_gen2:
        return std::make_unique<shelly_gen2_format>(std::move(context));
    case format_kind::esphome: return std::make_unique<esphome_format>(std::move(context));
    case format_kind::mixed: return std::make_unique<mixed_format>(std::move(context));
    }
    return nullptr;
}

}  // namespace sim
