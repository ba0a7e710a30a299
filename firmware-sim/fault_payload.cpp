#include "fault_payload.hpp"

namespace sim {
namespace {

constexpr std::size_t k_oversized_bytes = 70000;  // bridge --max-payload default: 65536
constexpr std::size_t k_nesting = 10000;          // bridge max depth: 16
constexpr std::size_t k_long_string_bytes = 200;  // bridge string limit: 128
constexpr const char* k_bad_id = "bad id/with+chars#";
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

// `value_json` as the value of the original's shape: canonical (also for bare, which cannot
// carry an id), a SenML record named `name`, or a device object's key `name`.
std::string shaped(const outgoing_message& original, const std::string& name,
                   const std::string& value_json, const char* senml_key) {
    switch (original.shape) {
    case wire_shape::senml:
        return "[{\"bn\":" + quoted(original.subject + ":") + ",\"n\":" + quoted(name) + ",\"" +
               senml_key + "\":" + value_json + "}]";
    case wire_shape::multi: return "{" + quoted(name) + ":" + value_json + "}";
    case wire_shape::canonical:
    case wire_shape::bare: break;
    }
    return "{\"sensorId\":" + quoted(original.subject) + ",\"value\":" + value_json + "}";
}

std::string non_finite(const outgoing_message& original, std::size_t occurrence) {
    if (original.shape == wire_shape::bare) return occurrence % 2 == 0 ? "-Infinity" : "NaN";
    if (occurrence % 2 == 1) return "NaN";
    return shaped(original, "temperature", "1e999", "v");
}

std::string bad_id(const outgoing_message& original) {
    if (original.shape == wire_shape::canonical || original.shape == wire_shape::bare) {
        return "{\"sensorId\":" + quoted(k_bad_id) + ",\"value\":1}";
    }
    return shaped(original, k_bad_id, "1", "v");
}

// A string value where the shape has one; a bare sensor gets a bare JSON string.
std::string bad_string(const outgoing_message& original, const std::string& text) {
    if (original.shape == wire_shape::bare) return quoted(text);
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
