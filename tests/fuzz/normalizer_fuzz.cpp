// libFuzzer target: the normalizer (issue 4, "Bad input"). Whatever arrives on MQTT, normalize
// must return, and what it accepts must be a reading the contract allows (docs/CONVENTIONS.md, docs/PROTOCOL.md §1):
// a valid id, a finite number / boolean / string of at most 128 bytes, serialized once into a
// sensor.reading frame that is valid JSON, conforms to schemas/ and reads back the same.
//
// The canonical fast path must agree with the general path on every input, to the bit
// (normalize/canonical_fast.hpp): the target runs both and compares.
//
// Input: "<topic>\n<payload>" (the payload may contain further newlines); an input without a
// newline is a payload on sensors/fuzz. The topic id comes from topic filters as in ingest.
// Topics a broker would not deliver (not UTF-8, NUL, wildcards) are skipped: mosquitto
// disconnects a client that publishes one.
#include <cmath>
#include <cstring>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "wire/reading_json.hpp"
#include "core/sensor_id.hpp"
#include "fuzz_check.hpp"
#include "wire/server_messages.hpp"
#include "ingest/topic_filter.hpp"
#include "normalize/normalizer.hpp"

namespace sb::fuzz {
namespace {

constexpr std::int64_t received_at = 1795000000999;
constexpr std::size_t max_text_bytes = 128;

const std::vector<topic_filter>& filters() {
    static const std::vector<topic_filter> parsed = [] {
        std::vector<topic_filter> out;
        for (const char* f : {"sensors/#", "zigbee2mqtt/+", "tele/+/SENSOR", "#"}) {
            out.push_back(*topic_filter::parse(f));
        }
        return out;
    }();
    return parsed;
}

void check_text(std::string_view text, std::string_view what) {
    FUZZ_CHECK(text.size() <= max_text_bytes, std::string(what) + " over 128 bytes");
    FUZZ_CHECK(text.find('\0') == std::string_view::npos, std::string(what) + " has a NUL");
}

// The frame reads back as the reading it was made from.
void check_round_trip(const reading& r, const rapidjson::Value& payload) {
    FUZZ_CHECK(payload["sensorId"].GetString() == r.sensor_id, r.sensor_id);
    const rapidjson::Value& v = payload["value"];
    if (const double* d = std::get_if<double>(&r.value)) {
        FUZZ_CHECK(v.IsNumber() && v.GetDouble() == *d, "number changed in serialization");
    } else if (const bool* b = std::get_if<bool>(&r.value)) {
        FUZZ_CHECK(v.IsBool() && v.GetBool() == *b, "boolean changed in serialization");
    } else {
        const std::string& s = std::get<std::string>(r.value);
        FUZZ_CHECK(v.IsString() && std::string_view(v.GetString(), v.GetStringLength()) == s,
                   "string changed in serialization");
    }
    FUZZ_CHECK(payload.HasMember("unit") == !r.unit.empty(), "unit presence");
    FUZZ_CHECK(payload["timestamp"].GetInt64() == r.timestamp, "timestamp changed");
}

void check_reading(const reading& r, std::string_view topic) {
    FUZZ_CHECK(is_valid_sensor_id(r.sensor_id), "invalid id accepted: " + r.sensor_id);
    if (const double* d = std::get_if<double>(&r.value)) {
        FUZZ_CHECK(std::isfinite(*d), "non-finite number accepted");
    } else if (const std::string* s = std::get_if<std::string>(&r.value)) {
        check_text(*s, "string value");
    }
    check_text(r.unit, "unit");
    FUZZ_CHECK(r.received_at == received_at, "receivedAt is not the receive time");
    FUZZ_CHECK(r.topic == topic, "topic changed");
    FUZZ_CHECK(r.seq == 0, "the normalizer must leave seq to the pipeline");

    reading sent = r;
    sent.seq = 1;
    const std::string frame = reading_message_json(sent);
    const rapidjson::Document doc = check_wire_json(frame, "ws-server-message.schema.json");
    check_round_trip(sent, doc["payload"]);
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void check_same_as_general_path(const normalize_result& fast, const normalize_result& general) {
    FUZZ_CHECK(fast.rejected == general.rejected, "fast path: another verdict");
    FUZZ_CHECK(fast.detail == general.detail, "fast path: another detail: " + fast.detail + " | " + general.detail);
    FUZZ_CHECK(fast.status.has_value() == general.status.has_value(), "fast path: status differs");
    FUZZ_CHECK(fast.readings.size() == general.readings.size(), "fast path: reading count differs");
    for (std::size_t i = 0; i < fast.readings.size(); ++i) {
        const reading& a = fast.readings[i];
        const reading& b = general.readings[i];
        FUZZ_CHECK(a.sensor_id == b.sensor_id && a.unit == b.unit && a.timestamp == b.timestamp &&
                       a.topic == b.topic && a.value.index() == b.value.index(),
                   "fast path: reading differs");
        if (const double* d = std::get_if<double>(&a.value)) {
            FUZZ_CHECK(same_bits(*d, std::get<double>(b.value)), "fast path: number differs");
        } else {
            FUZZ_CHECK(a.value == b.value, "fast path: value differs");
        }
    }
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t newline = input.find('\n');
    const std::string_view topic =
        newline == std::string_view::npos ? std::string_view("sensors/fuzz") : input.substr(0, newline);
    const std::string_view payload =
        newline == std::string_view::npos ? input : input.substr(newline + 1);
    // The broker refuses to route what is not an MQTT topic name (UTF-8, no NUL, no wildcards).
    constexpr std::string_view not_in_topics("\0+#", 3);
    if (topic.empty() || topic.find_first_of(not_in_topics) != std::string_view::npos ||
        !fuzz::is_valid_utf8(topic)) {
        return 0;
    }
    const std::string topic_id = topic_sensor_id(fuzz::filters(), topic);

    static const normalizer n;
    static const normalizer general([] {
        normalize_options o;
        o.canonical_fast_path = false;
        return o;
    }());
    const normalize_result result = n.normalize({topic, topic_id, payload, fuzz::received_at});
    fuzz::check_same_as_general_path(result, general.normalize({topic, topic_id, payload, fuzz::received_at}));

    if (!result.ok()) {
        FUZZ_CHECK(result.readings.empty() && !result.status, "a rejection carries results");
        FUZZ_CHECK(!result.detail.empty(), "a rejection needs a reason");
        return 0;
    }
    if (result.ignored) {  // a topic that is no device's (zigbee2mqtt/bridge/..., homeassistant/status)
        FUZZ_CHECK(result.readings.empty() && !result.status, "an ignored topic carries results");
        return 0;
    }
    if (result.status) {
        FUZZ_CHECK(result.readings.empty(), "status and readings at once");
        FUZZ_CHECK(is_valid_sensor_id(result.status->sensor_id), result.status->sensor_id);
        const std::string frame = status_json(result.status->sensor_id,
                                              result.status->online ? "online" : "offline",
                                              fuzz::received_at);
        fuzz::check_wire_json(frame, "ws-server-message.schema.json");
        return 0;
    }
    FUZZ_CHECK(!result.readings.empty(), "accepted without readings or status");
    FUZZ_CHECK(result.readings.size() <= n.options().max_readings_per_message, "too many readings");
    for (const reading& r : result.readings) fuzz::check_reading(r, topic);
    return 0;
}
