#include "shelly_gen2_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <utility>

namespace sim {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

constexpr std::uint32_t k_grid_stream = 0x67726964;  // "grid": apart from the signal streams
constexpr const char* k_mac_prefix = "a8032a";       // the first half of the id's MAC

std::mt19937_64 make_grid(std::uint64_t seed) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      k_grid_stream};
    return std::mt19937_64(seq);
}

double round_to(double value, double scale) { return std::round(value * scale) / scale; }

void write_string(json_writer& writer, const std::string& text) {
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_raw(json_writer& writer, const std::string& text, rapidjson::Type type) {
    writer.RawValue(text.c_str(), text.size(), type);
}

// Milliseconds as epoch seconds with two decimals, as Shelly prints "ts": "1795000000.12".
std::string shelly_ts(std::int64_t ms) {
    const std::int64_t centis = ms / 10;
    char fraction[4];
    std::snprintf(fraction, sizeof fraction, "%02d", static_cast<int>(centis % 100));
    return std::to_string(centis / 100) + "." + fraction;
}

// A field of a component's object: key, value as JSON text, unit for the log line.
struct field {
    const char* key;
    reading_value value;
    const char* unit;
    bool reading;  // the bridge makes a reading of it (not of "id" or "tF")
};

std::string component_name(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "temperature:0";
    case sensor_kind::humidity: return "humidity:0";
    case sensor_kind::power: return "switch:0";
    case sensor_kind::door: return "input:0";
    case sensor_kind::co2: break;
    }
    return {};
}

const char* model(const device_layout& layout, std::size_t device) {
    if (layout.device_has(device, sensor_kind::power)) return "shellyplus1pm";
    if (layout.device_has(device, sensor_kind::temperature) ||
        layout.device_has(device, sensor_kind::humidity)) {
        return "shellyplusht";
    }
    if (layout.device_has(device, sensor_kind::door)) return "shellyplusi4";
    return nullptr;
}

}  // namespace

shelly_gen2_format::shelly_gen2_format(format_context context)
    : context_(std::move(context)),
      batch_(context_.layout),
      canonical_(make_payload_format(format_kind::canonical, context_)),
      grid_(make_grid(context_.seed)) {}

std::string shelly_gen2_format::device_id(const device_layout& layout, std::size_t device) {
    const char* name = model(layout, device);
    if (name == nullptr) return {};
    char number[16];
    std::snprintf(number, sizeof number, "%06zx", (device + 1) & 0xffffff);
    return std::string(name) + "-" + k_mac_prefix + number;
}

std::vector<outgoing_message> shelly_gen2_format::encode(const sim_reading& reading) {
    const device_layout& layout = *context_.layout;
    const std::size_t device = layout.device_of(reading.index);
    std::vector<outgoing_message> messages;
    if (reading.kind == sensor_kind::co2) messages = canonical_->encode(reading);
    if (notifies(device)) {
        // CO2 goes into the batch too: the device's last sensor may be one.
        const std::vector<sim_reading> group = batch_.add(reading);
        if (!group.empty()) {
            outgoing_message message = notification(group);
            if (!message.readings.empty()) messages.push_back(std::move(message));
        }
        return messages;
    }
    if (reading.kind == sensor_kind::co2) return messages;
    const std::string id = device_id(layout, device);
    component c = make_component(id, reading);
    outgoing_message message;
    message.topic = id + "/status/" + c.name;
    message.payload = std::move(c.json);
    message.shape = wire_shape::shelly_gen2;
    message.subject = id;
    message.readings = std::move(c.readings);
    messages.push_back(std::move(message));
    return messages;
}

std::vector<outgoing_message> shelly_gen2_format::flush() {
    std::vector<outgoing_message> messages;
    for (const std::vector<sim_reading>& group : batch_.drain()) {
        outgoing_message message = notification(group);
        if (!message.readings.empty()) messages.push_back(std::move(message));
    }
    return messages;
}

std::vector<outgoing_message> shelly_gen2_format::statuses(const char* state) const {
    const device_layout& layout = *context_.layout;
    const bool online = std::string(state) == "online";
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context_.devices) {
        const std::string id = device_id(layout, device);
        if (!id.empty()) {
            messages.push_back(make_plain_message(id + "/online", online ? "true" : "false"));
        }
        for (std::size_t s = layout.first_sensor(device); s < layout.end_sensor(device); ++s) {
            if (layout.kind(s) == sensor_kind::co2) {
                messages.push_back(make_plain_message(
                    context_.topic_prefix + "/" + layout.sensor_id(s) + "/status", state));
            }
        }
    }
    return messages;
}

std::string shelly_gen2_format::describe() const {
    const device_layout& layout = *context_.layout;
    std::string text;
    bool co2 = false;
    for (const std::size_t device : context_.devices) {
        const std::string id = device_id(layout, device);
        if (!id.empty()) {
            text += (text.empty() ? "" : ", ") + layout.device_name(device) + " " + id +
                    (notifies(device) ? " (events/rpc)" : " (status/<component>)");
        }
        co2 = co2 || layout.device_has(device, sensor_kind::co2);
    }
    if (co2) text += std::string(text.empty() ? "" : "; ") + "CO2 sensors canonical";
    return text;
}

shelly_gen2_format::component shelly_gen2_format::make_component(const std::string& device,
                                                                 const sim_reading& reading) {
    std::vector<field> fields{{"id", 0.0, "", false}};
    switch (reading.kind) {
    case sensor_kind::temperature: {
        const double celsius = std::get<double>(reading.value);
        fields.push_back({"tC", celsius, reading.unit.c_str(), true});
        fields.push_back({"tF", round_to(celsius * 9.0 / 5.0 + 32.0, 10.0), "", false});
        break;
    }
    case sensor_kind::humidity:
        fields.push_back({"rh", reading.value, reading.unit.c_str(), true});
        break;
    case sensor_kind::power: {
        const double watts = std::get<double>(reading.value);
        const double volts = mains_voltage();
        fields.push_back({"apower", watts, reading.unit.c_str(), true});
        fields.push_back({"voltage", volts, "V", true});
        fields.push_back({"current", round_to(watts / volts, 1000.0), "A", true});
        fields.push_back({"output", watts > 0.0, "", true});
        break;
    }
    case sensor_kind::door: fields.push_back({"state", reading.value, "", true}); break;
    case sensor_kind::co2: break;
    }

    component c;
    c.name = component_name(reading.kind);
    rapidjson::StringBuffer buffer;
    json_writer writer(buffer);
    writer.StartObject();
    for (const field& f : fields) {
        writer.Key(f.key);
        const std::string text = value_to_text(f.value);
        write_raw(writer, text,
                  std::holds_alternative<bool>(f.value) ? rapidjson::kTrueType
                                                        : rapidjson::kNumberType);
        if (f.reading) c.readings.push_back({device + "." + c.name + "." + f.key, text, f.unit});
    }
    writer.EndObject();
    c.json.assign(buffer.GetString(), buffer.GetSize());
    return c;
}

outgoing_message shelly_gen2_format::notification(const std::vector<sim_reading>& group) {
    const std::string id = device_id(*context_.layout, context_.layout->device_of(group[0].index));
    outgoing_message message;
    if (id.empty()) return message;  // only CO2, already sent canonical
    rapidjson::StringBuffer buffer;
    json_writer writer(buffer);
    writer.StartObject();
    writer.Key("src");
    write_string(writer, id);
    writer.Key("dst");
    write_string(writer, id + "/events");
    writer.Key("method");
    writer.String("NotifyStatus");
    writer.Key("params");
    writer.StartObject();
    writer.Key("ts");
    write_raw(writer, shelly_ts(group.back().timestamp_ms), rapidjson::kNumberType);
    for (const sim_reading& reading : group) {
        if (reading.kind == sensor_kind::co2) continue;
        component c = make_component(id, reading);
        write_string(writer, c.name);
        write_raw(writer, c.json, rapidjson::kObjectType);
        for (carried_reading& r : c.readings) message.readings.push_back(std::move(r));
    }
    writer.EndObject();
    writer.EndObject();
    if (message.readings.empty()) return message;
    message.topic = id + "/events/rpc";
    message.payload.assign(buffer.GetString(), buffer.GetSize());
    message.shape = wire_shape::shelly_gen2;
    message.subject = id;
    return message;
}

// The mains voltage a switch measures: 230 V with a little noise. One stream for the whole
// format: the publisher samples in a fixed order, so a seed still gives the same values.
double shelly_gen2_format::mains_voltage() {
    return round_to(std::normal_distribution<double>(230.0, 1.0)(grid_), 10.0);
}

}  // namespace sim
