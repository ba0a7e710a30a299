#include "senml_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

namespace sim {
namespace {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

// RFC 8428 §12.1 unit symbols (ppm from RFC 8798).
const char* senml_unit(sensor_kind kind) {
    switch (kind) {
    case sensor_kind::temperature: return "Cel";
    case sensor_kind::humidity: return "%RH";
    case sensor_kind::co2: return "ppm";
    case sensor_kind::power: return "W";
    case sensor_kind::door: return "";
    }
    return "";
}

// Milliseconds as exact decimal seconds ("1795000000.123", "0.04", "2"); a double would
// print binary noise in the last digits.
std::string seconds_text(std::int64_t ms) {
    const std::int64_t magnitude = std::llabs(ms);
    std::string text = (ms < 0 ? "-" : "") + std::to_string(magnitude / 1000);
    std::string fraction = std::to_string(magnitude % 1000 + 1000).substr(1);  // 3 digits
    while (!fraction.empty() && fraction.back() == '0') fraction.pop_back();
    if (!fraction.empty()) text += "." + fraction;
    return text;
}

void write_string(json_writer& writer, const std::string& text) {
    writer.String(text.c_str(), static_cast<rapidjson::SizeType>(text.size()));
}

void write_raw_number(json_writer& writer, const std::string& text) {
    writer.RawValue(text.c_str(), text.size(), rapidjson::kNumberType);
}

void write_record(json_writer& writer, const sim_reading& reading, std::int64_t base_ms) {
    writer.Key("n");
    write_string(writer, kind_stem(reading.kind));
    const std::string unit = senml_unit(reading.kind);
    if (!unit.empty()) {
        writer.Key("u");
        write_string(writer, unit);
    }
    if (reading.timestamp_ms != base_ms) {
        writer.Key("t");
        write_raw_number(writer, seconds_text(reading.timestamp_ms - base_ms));
    }
    if (const bool* open = std::get_if<bool>(&reading.value)) {
        writer.Key("vb");
        writer.Bool(*open);
    } else {
        writer.Key("v");
        write_raw_number(writer, value_to_text(reading.value));
    }
}

}  // namespace

senml_format::senml_format(format_context context)
    : context_(std::move(context)), batch_(context_.layout) {}

std::vector<outgoing_message> senml_format::encode(const sim_reading& reading) {
    const std::vector<sim_reading> group = batch_.add(reading);
    if (group.empty()) return {};
    return {pack(group)};
}

std::vector<outgoing_message> senml_format::flush() {
    std::vector<outgoing_message> messages;
    for (const std::vector<sim_reading>& group : batch_.drain()) messages.push_back(pack(group));
    return messages;
}

std::vector<outgoing_message> senml_format::statuses(const char* state) const {
    std::vector<outgoing_message> messages;
    for (const std::size_t device : context_.devices) {
        messages.push_back(make_plain_message(
            context_.topic_prefix + "/" + context_.layout->device_name(device) + "/status", state));
    }
    return messages;
}

outgoing_message senml_format::pack(const std::vector<sim_reading>& group) const {
    const device_layout& layout = *context_.layout;
    const std::string device = layout.device_name(layout.device_of(group[0].index));
    const std::string base_name = device + ":";
    const std::int64_t base_ms = group.front().timestamp_ms;
    outgoing_message message;
    rapidjson::StringBuffer buffer;
    json_writer writer(buffer);
    writer.StartArray();
    for (const sim_reading& reading : group) {
        writer.StartObject();
        if (&reading == &group.front()) {
            writer.Key("bn");
            write_string(writer, base_name);
            writer.Key("bt");
            write_raw_number(writer, seconds_text(base_ms));
        }
        write_record(writer, reading, base_ms);
        writer.EndObject();
        message.readings.push_back({base_name + kind_stem(reading.kind),
                                    value_to_text(reading.value), reading.unit});
    }
    writer.EndArray();
    message.topic = context_.topic_prefix + "/" + device;
    message.payload.assign(buffer.GetString(), buffer.GetSize());
    message.shape = wire_shape::senml;
    message.subject = device;
    return message;
}

}  // namespace sim
