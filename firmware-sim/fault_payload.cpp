#include "fault_payload.hpp"

#include <utility>

namespace sim {
namespace {

constexpr std::size_t k_oversized_bytes = 70000;  // bridge --max-payload default: 65536
constexpr std::size_t k_nesting = 10000;          // bridge max depth: 16
constexpr std::size_t k_long_string_bytes = 200;  // bridge string limit: 128
// Bad under every id rule the bridge has had: outside [A-Za-z0-9._:~-], and with a '*', which
// ends a room pattern and so is in no id.
constexpr const char* k_bad_id = "bad id/with+chars#*";
constexpr const char* k_bad_device = "bad*device";  // a Shelly's custom topic prefix
constexpr const char* k_bad_utf8 = "caf\xC3\x28";  // 0xC3 must be followed by 0x80..0xBF

// JSON string literal for ASCII-safe text; invalid UTF-8 is copied as is, deliberately.
std::string quoted(const std::string& text) { return "\"" + text + "\""; }

// An object or array cut before its end is never valid JSON. The cut avoids the middle of a
// UTF-8 sequence ("°C"), which the bridge would count as bad_string instead.
std::string malformed(const outgoing_message& original) {
    const std::string& payload = original.payload;
    if (payload.empty() || (payload[0] != '{' && payload[0] != '[')) {
        return "{\"value\":" + payload;
    }
    std::size_t cut = payload.size() / 2;
    while (cut > 1 && (static_cast<unsigned char>(payload[cut]) & 0xC0) == 0x80) --cut;
    return payload.substr(0, cut);
}

std::string oversized(const outgoing_message& original) {
    const std::string head =
        "{\"sensorId\":" + quoted(original.subject) + ",\"value\":0,\"debug\":\"";
    const std::string tail = "\"}";
    const std::size_t fill = k_oversized_bytes - head.size() - tail.size();
    return head + std::string(fill, 'x') + tail;
}

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// A plain value on the topic: bare, and ESPHome's sensor state (a bare value too).
bool is_plain(const outgoing_message& original) {
    return original.shape == wire_shape::bare || original.shape == wire_shape::esphome;
}

// Shelly: the component and field of the message's first reading, whose id is
// "<device>.<component>.<field>" ("temperature:0", "tC").
std::pair<std::string, std::string> shelly_field(const outgoing_message& original) {
    if (!original.readings.empty()) {
        const std::string& id = original.readings.front().id;
        const std::size_t component = original.subject.size() + 1;
        const std::size_t dot = id.find('.', component);
        if (id.size() > component && dot != std::string::npos) {
            return {id.substr(component, dot - component), id.substr(dot + 1)};
        }
    }
    return {"temperature:0", "tC"};
}

// `value_json` as the field of a Shelly component status, inside a NotifyStatus on
// events/rpc.
std::string shelly_shaped(const outgoing_message& original, const std::string& value_json) {
    const auto [component, field] = shelly_field(original);
    const std::string status = "{\"id\":0," + quoted(field) + ":" + value_json + "}";
    if (!ends_with(original.topic, "/events/rpc")) return status;
    return "{\"src\":" + quoted(original.subject) + ",\"dst\":" +
           quoted(original.subject + "/events") + ",\"method\":\"NotifyStatus\",\"params\":{" +
           quoted(component) + ":" + status + "}}";
}

// `value_json` as the value of the original's shape: canonical (also for bare and ESPHome,
// which cannot carry an id), a SenML record named `name`, a device object's key `name`, or
// a Shelly component's field.
std::string shaped(const outgoing_message& original, const std::string& name,
                   const std::string& value_json, const char* senml_key) {
    switch (original.shape) {
    case wire_shape::senml:
        return "[{\"bn\":" + quoted(original.subject + ":") + ",\"n\":" + quoted(name) + ",\"" +
               senml_key + "\":" + value_json + "}]";
    case wire_shape::multi: return "{" + quoted(name) + ":" + value_json + "}";
    case wire_shape::shelly_gen2: return shelly_shaped(original, value_json);
    case wire_shape::canonical:
    case wire_shape::bare:
    case wire_shape::esphome: break;
    }
    return "{\"sensorId\":" + quoted(original.subject) + ",\"value\":" + value_json + "}";
}

std::string non_finite(const outgoing_message& original, std::size_t occurrence) {
    if (original.shape == wire_shape::esphome) return "nan";  // ESPHome's unknown state
    if (original.shape == wire_shape::bare) return occurrence % 2 == 0 ? "-Infinity" : "NaN";
    if (occurrence % 2 == 1) return "NaN";
    return shaped(original, "temperature", "1e999", "v");
}

std::string bad_id(const outgoing_message& original) {
    if (original.shape == wire_shape::canonical || is_plain(original)) {
        return "{\"sensorId\":" + quoted(k_bad_id) + ",\"value\":1}";
    }
    // The id is the topic's: the bad device id is in fault_topic().
    if (original.shape == wire_shape::shelly_gen2) return shelly_shaped(original, "1");
    return shaped(original, k_bad_id, "1", "v");
}

// A string value where the shape has one; a bare sensor gets a bare JSON string.
std::string bad_string(const outgoing_message& original, const std::string& text) {
    if (is_plain(original)) return quoted(text);
    return shaped(original, "label", quoted(text), "vs");
}

}  // namespace

const char* fault_name(fault_kind kind) {
    switch (kind) {
    case fault_kind::malformed: return "malformed";
    case fault_kind::oversized: return "oversized";
    case fault_kind::non_finite: return "non-finite";
    case fault_kind::nested: return "nested";
    case fault_kind::bad_id: return "bad-id";
    case fault_kind::long_string: return "long-string";
    case fault_kind::bad_utf8: return "bad-utf8";
    }
    return "unknown";
}

const char* bridge_reason(fault_kind kind) {
    switch (kind) {
    case fault_kind::malformed: return "invalid_json";
    case fault_kind::oversized: return "too_large";
    case fault_kind::non_finite: return "non_finite";
    case fault_kind::nested: return "too_deep";
    case fault_kind::bad_id: return "bad_id";
    case fault_kind::long_string:
    case fault_kind::bad_utf8: return "bad_string";
    }
    return "unknown";
}

std::string fault_topic(fault_kind kind, const outgoing_message& original) {
    std::string topic = original.topic;
    if (original.shape == wire_shape::shelly_gen2 && kind == fault_kind::bad_id &&
        topic.compare(0, original.subject.size() + 1, original.subject + "/") == 0) {
        return k_bad_device + topic.substr(original.subject.size());
    }
    const std::string binary = "/binary_sensor/";
    const std::size_t at = topic.find(binary);
    if (original.shape == wire_shape::esphome && at != std::string::npos) {
        topic.replace(at, binary.size(), "/sensor/");
    }
    return topic;
}

std::string fault_payload(fault_kind kind, const outgoing_message& original,
                          std::size_t occurrence) {
    switch (kind) {
    case fault_kind::malformed: return malformed(original);
    case fault_kind::oversized: return oversized(original);
    case fault_kind::non_finite: return non_finite(original, occurrence);
    case fault_kind::nested: return std::string(k_nesting, '[');
    case fault_kind::bad_id: return bad_id(original);
    case fault_kind::long_string:
        return bad_string(original, std::string(k_long_string_bytes, 'a'));
    case fault_kind::bad_utf8: return bad_string(original, k_bad_utf8);
    }
    return {};
}

}  // namespace sim
