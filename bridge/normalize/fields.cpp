#include "normalize/fields.hpp"

#include "core/utf8_excerpt.hpp"

#include <array>
#include <cmath>
#include <utility>

#include "core/sensor_id.hpp"
#include "core/utf8_excerpt.hpp"
#include "normalize/ascii.hpp"
#include "normalize/timestamp.hpp"

namespace sb::detail {

namespace {

// In priority order. Zigbee2MQTT's "last_seen" is when the coordinator heard the device.
constexpr std::array<std::string_view, 4> timestamp_keys{"timestamp", "ts", "time", "last_seen"};

// The first member named `key` in any case (Tasmota writes "Time"), or nullptr.
const rapidjson::Value* member_ignoring_case(const rapidjson::Value& object,
                                             std::string_view key) {
    for (const auto& member : object.GetObject()) {
        if (equals_ignoring_case(as_view(member.name), key)) return &member.value;
    }
    return nullptr;
}

check timestamp_from_string(std::string_view text, const std::string& field,
                            std::int64_t received_at, std::int64_t& out) {
    if (const std::optional<std::int64_t> ms = parse_iso8601_ms(text)) {
        out = *ms;
        return std::nullopt;
    }
    // Well-formed but without an offset: the device's local time in a zone the bridge does not
    // know. The reading is still good; it is timed at receive time rather than guessed.
    if (is_iso8601_local_time(text)) {
        out = received_at;
        return std::nullopt;
    }
    return fail(reject_reason::invalid_json, field + " is not an ISO-8601 date-time");
}

check timestamp_from(const rapidjson::Value& v, std::string_view key, std::int64_t received_at,
                     std::int64_t& out) {
    const std::string field = "\"" + std::string(key) + "\"";
    if (v.IsNumber()) {
        const double number = v.GetDouble();
        if (!std::isfinite(number)) {
            return fail(reject_reason::non_finite, field + " is not finite");
        }
        const std::optional<std::int64_t> ms = epoch_number_to_ms(number);
        if (!ms) return fail(reject_reason::invalid_json, field + " is out of range");
        out = *ms;
        return std::nullopt;
    }
    if (v.IsString()) return timestamp_from_string(as_view(v), field, received_at, out);
    return fail(reject_reason::invalid_json, field + " must be a number or an ISO-8601 string");
}

}  // namespace

check fail(reject_reason reason, std::string detail) {
    return failure{reason, std::move(detail)};
}

check reading_sink::add(std::string id, reading_value value, std::string unit,
                        std::int64_t timestamp) {
    if (check c = check_id(id)) return c;
    if (out.size() >= max_readings) {
        return fail(reject_reason::too_large,
                    "more than " + std::to_string(max_readings) + " readings in one message");
    }
    reading r;
    r.sensor_id = std::move(id);
    r.value = std::move(value);
    r.unit = std::move(unit);
    r.timestamp = timestamp;
    r.received_at = in.received_at;
    r.topic = std::string(in.topic);
    out.push_back(std::move(r));
    return std::nullopt;
}

std::string_view as_view(const rapidjson::Value& string_value) {
    return {string_value.GetString(), string_value.GetStringLength()};
}

check check_id(std::string_view id) {
    if (id.empty()) {
        return fail(reject_reason::bad_id, "no sensor id in the payload or the topic");
    }
    if (!is_valid_sensor_id(id)) {
        return fail(reject_reason::bad_id, "sensor id is not 1-128 bytes of UTF-8 without control characters or '*'");
    }
    return std::nullopt;
}

check check_text(std::string_view text, std::string_view what) {
    if (text.size() > max_string_bytes) {
        return fail(reject_reason::bad_string,
                    std::string(what) + " is " + std::to_string(text.size()) + " bytes, over " +
                        std::to_string(max_string_bytes));
    }
    // A NUL (from \u0000) is never a sensible text.
    if (text.find('\0') != std::string_view::npos) {
        return fail(reject_reason::bad_string, std::string(what) + " contains a NUL character");
    }
    // The parser validates the raw bytes only: a lone "\udc00" escape decodes to non-UTF-8.
    if (!is_valid_utf8(text)) return fail(reject_reason::bad_string, std::string(what) + " is not UTF-8");
    return std::nullopt;
}

check read_value(const rapidjson::Value& v, reading_value& out) {
    if (v.IsNumber()) {
        const double number = v.GetDouble();
        if (!std::isfinite(number)) return fail(reject_reason::non_finite, "value is not finite");
        out = number;
        return std::nullopt;
    }
    if (v.IsBool()) {
        out = v.GetBool();
        return std::nullopt;
    }
    if (v.IsString()) {
        if (check c = check_text(as_view(v), "string value")) return c;
        out = std::string(as_view(v));
        return std::nullopt;
    }
    return fail(reject_reason::no_value, v.IsNull() ? "value is null"
                                                    : "value is not a number, boolean or string");
}

check read_unit(const rapidjson::Value& object, std::string& out) {
    out.clear();
    const auto it = object.FindMember("unit");
    if (it == object.MemberEnd() || it->value.IsNull()) return std::nullopt;
    if (!it->value.IsString()) return fail(reject_reason::bad_string, "unit is not a string");
    if (check c = check_text(as_view(it->value), "unit")) return c;
    out = std::string(as_view(it->value));
    return std::nullopt;
}

check read_timestamp(const rapidjson::Value& object, std::int64_t received_at, std::int64_t& out) {
    for (std::string_view key : timestamp_keys) {
        const rapidjson::Value* v = member_ignoring_case(object, key);
        if (v == nullptr || v->IsNull()) continue;
        return timestamp_from(*v, key, received_at, out);
    }
    out = received_at;
    return std::nullopt;
}

bool is_timestamp_key(std::string_view key) noexcept {
    for (std::string_view k : timestamp_keys) {
        if (equals_ignoring_case(key, k)) return true;
    }
    return false;
}

bool is_metadata_key(std::string_view key) noexcept {
    static constexpr std::string_view metadata_keys[] = {"sensorId", "unit", "id", "src", "dst", "device"};
    for (std::string_view k : metadata_keys) {
        if (equals_ignoring_case(key, k)) return true;
    }
    return false;
}

}  // namespace sb::detail
