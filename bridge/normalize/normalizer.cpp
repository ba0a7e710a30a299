#include "normalize/normalizer.hpp"

#include <cstddef>
#include <string>
#include <utility>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "core/json_depth.hpp"
#include "core/json_duplicate_key.hpp"
#include "normalize/ascii.hpp"
#include "normalize/bare_token.hpp"
#include "normalize/canonical_fast.hpp"
#include "normalize/control_topic.hpp"
#include "normalize/esphome.hpp"
#include "normalize/fields.hpp"
#include "normalize/multi_metric.hpp"
#include "normalize/senml.hpp"
#include "normalize/shelly_gen2.hpp"

// Checks run cheapest and most fundamental first: the topic (control topics, status topics),
// then size (before any parsing), NUL bytes and nesting depth (a linear pre-scan, before
// RapidJSON can recurse), JSON syntax, then the convention-specific rules (id, value, string,
// unit, timestamp). docs/CONVENTIONS.md shows each convention with the ids it produces.
//
// Decisions where the contract is silent:
// - An empty or all-whitespace payload is invalid_json (there is no JSON text to read).
// - `"value":"21.5"` is the string "21.5": strings are legitimate values ("open"), so a
//   quoted number is never coerced.
// - A malformed or out-of-range timestamp rejects the message as invalid_json with a detail
//   naming the field; silently using the receive time would hide a broken sensor clock.
//   A well-formed ISO-8601 local time without an offset (Tasmota's "Time") is ambiguous, not
//   broken: the message is kept and timed at receive time.
// - An object with "sensorId" or "value" is canonical; any other object is multi-metric.
// - Unquoted words ("ON", "open") are accepted by the policy in bare_token.hpp.
// - Numbers RapidJSON cannot represent (1e999) are non_finite, like NaN/Infinity words.
// - Fields of a canonical object other than sensorId/value/unit/timestamp are ignored.
// - A message is accepted or rejected whole: one bad metric or SenML record rejects it all,
//   and more than max_readings_per_message readings is too_large.

namespace sb {

namespace {

using detail::check;
using detail::fail;

// kParseNanAndInfFlag stays off: NaN/Infinity inside JSON are syntax errors. The iterative
// parser does not recurse, a second guard behind the depth pre-scan. kParseFullPrecisionFlag
// stays off too: RapidJSON 1.1's full-precision path turns 0e38 into garbage (found by fuzzing);
// the default path is within a few ULP, far below any sensor's resolution.
constexpr unsigned parse_flags = rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag;

// A document whose DOM and parse stack both live in caller-provided pools (read_payload).
using pooled_document = rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>,
                                                   rapidjson::MemoryPoolAllocator<>>;

check read_canonical(const rapidjson::Value& object, detail::reading_sink& sink) {
    std::string id(sink.in.topic_id);
    const auto sid = object.FindMember("sensorId");
    if (sid != object.MemberEnd() && !sid->value.IsNull()) {
        if (!sid->value.IsString()) return fail(reject_reason::bad_id, "sensorId is not a string");
        id = std::string(detail::as_view(sid->value));
    }
    if (check c = detail::check_id(id)) return c;

    const auto v = object.FindMember("value");
    if (v == object.MemberEnd()) return fail(reject_reason::no_value, "no \"value\" field");
    reading_value value;
    if (check c = detail::read_value(v->value, value)) return c;
    std::string unit;
    if (check c = detail::read_unit(object, unit)) return c;
    std::int64_t timestamp = 0;
    if (check c = detail::read_timestamp(object, sink.in.received_at, timestamp)) return c;
    return sink.add(std::move(id), std::move(value), std::move(unit), timestamp);
}

check read_scalar(const rapidjson::Value& v, detail::reading_sink& sink) {
    if (check c = detail::check_id(sink.in.topic_id)) return c;
    reading_value value;
    if (check c = detail::read_value(v, value)) return c;
    return sink.add(std::string(sink.in.topic_id), std::move(value), {}, sink.in.received_at);
}

check read_document(const pooled_document& doc, detail::reading_sink& sink) {
    if (doc.IsObject()) {
        if (detail::is_shelly_gen2_topic(sink.in.topic)) return detail::read_shelly_gen2(doc, sink);
        const bool canonical = doc.HasMember("sensorId") || doc.HasMember("value");
        return canonical ? read_canonical(doc, sink) : detail::read_multi_metric(doc, sink);
    }
    if (doc.IsArray()) return detail::read_senml(doc, sink);
    if (doc.IsNull()) return fail(reject_reason::no_value, "payload is null");
    return read_scalar(doc, sink);
}

bool is_encoding_error(rapidjson::ParseErrorCode code) noexcept {
    return code == rapidjson::kParseErrorStringInvalidEncoding ||
           code == rapidjson::kParseErrorStringUnicodeSurrogateInvalid;
}

// The payload is not JSON: a number out of range, bad UTF-8, a bare word, or just broken.
check read_non_json(const pooled_document& doc, detail::reading_sink& sink) {
    const rapidjson::ParseErrorCode code = doc.GetParseError();
    const std::string at = " at offset " + std::to_string(doc.GetErrorOffset());
    if (code == rapidjson::kParseErrorNumberTooBig) {
        return fail(reject_reason::non_finite, "number out of double range" + at);
    }
    if (is_encoding_error(code)) return fail(reject_reason::bad_string, "invalid UTF-8" + at);

    const std::string_view word = detail::trim_json_space(sink.in.payload);
    switch (detail::classify_bare_token(word)) {
        case detail::bare_token_kind::non_finite:
            return fail(reject_reason::non_finite, "NaN or Infinity as a value");
        case detail::bare_token_kind::text:
            if (check c = detail::check_id(sink.in.topic_id)) return c;
            return sink.add(std::string(sink.in.topic_id), std::string(word), {},
                            sink.in.received_at);
        case detail::bare_token_kind::not_a_token: break;
    }
    return fail(reject_reason::invalid_json, std::string(rapidjson::GetParseError_En(code)) + at);
}

check read_payload(const normalize_input& in, const normalize_options& opts,
                   std::vector<reading>& out) {
    if (in.payload.size() > opts.max_payload) {
        return fail(reject_reason::too_large, std::to_string(in.payload.size()) + " bytes, over " +
                                                  std::to_string(opts.max_payload));
    }
    detail::reading_sink sink{in, opts.max_readings_per_message, out};
    if (opts.canonical_fast_path && opts.max_depth >= 1 && detail::read_canonical_fast(sink)) return std::nullopt;
    if (detail::trim_json_space(in.payload).empty()) {
        return fail(reject_reason::invalid_json, "empty payload");
    }
    // RapidJSON would stop at a NUL and ignore whatever follows it.
    if (in.payload.find('\0') != std::string_view::npos) {
        return fail(reject_reason::invalid_json, "NUL byte in payload");
    }
    if (json_exceeds_depth(in.payload, opts.max_depth)) {
        return fail(reject_reason::too_deep, "nesting over " + std::to_string(opts.max_depth));
    }
    // A typical payload's DOM and parse stack fit in these stack buffers: no heap allocation per
    // message; bigger ones spill over into heap chunks as usual.
    alignas(std::max_align_t) char value_buffer[4096];
    alignas(std::max_align_t) char parse_buffer[1024];
    rapidjson::MemoryPoolAllocator<> value_allocator(value_buffer, sizeof value_buffer);
    rapidjson::MemoryPoolAllocator<> parse_allocator(parse_buffer, sizeof parse_buffer);
    pooled_document doc(&value_allocator, sizeof parse_buffer / 2, &parse_allocator);
    doc.Parse<parse_flags>(in.payload.data(), in.payload.size());
    if (doc.HasParseError()) return read_non_json(doc, sink);
    // A name twice in one object is malformed (core/json_duplicate_key.hpp); the fast path
    // above gives up on duplicates, so they all end here.
    if (const auto name = find_duplicate_key(doc)) return fail(reject_reason::invalid_json, duplicate_key_detail(*name));
    return read_document(doc, sink);
}

}  // namespace

std::string_view to_string(reject_reason r) noexcept {
    switch (r) {
        case reject_reason::invalid_json: return "invalid_json";
        case reject_reason::too_large: return "too_large";
        case reject_reason::too_deep: return "too_deep";
        case reject_reason::bad_id: return "bad_id";
        case reject_reason::non_finite: return "non_finite";
        case reject_reason::bad_string: return "bad_string";
        case reject_reason::no_value: return "no_value";
    }
    return "unknown";
}

namespace {

normalize_result rejected(reject_reason reason, std::string detail) {
    normalize_result result;
    result.rejected = reason;
    result.detail = std::move(detail);
    return result;
}

// A status topic sets the sensor's online state instead of giving a value.
normalize_result read_status(const normalize_input& in) {
    const std::optional<bool> online = parse_online_state(in.payload);
    if (!online) {
        if (auto dup = status_payload_duplicate_key(in.payload)) return rejected(reject_reason::invalid_json, *dup);
        return rejected(reject_reason::no_value, "status payload is not online/offline");
    }
    std::string id = status_sensor_id(in.topic, in.topic_id);
    if (detail::check_id(id)) {
        return rejected(reject_reason::bad_id, "status topic names no usable sensor id");
    }
    normalize_result result;
    result.status = status_update{std::move(id), *online};
    return result;
}

// ".../status" with a JSON object that has no "state"/"status" member is device state
// (Shelly Gen1 light/0/status), read as metrics. Bounded before the extra parse.
bool status_topic_carries_readings(const normalize_input& in, const normalize_options& opts) {
    return detail::equals_ignoring_case(detail::last_topic_level(in.topic), "status") &&
           in.payload.size() <= opts.max_payload &&
           !json_exceeds_depth(in.payload, opts.max_depth) && is_object_without_state(in.payload);
}

}  // namespace

normalize_result normalizer::normalize(const normalize_input& in) const {
    normalize_result result;
    normalize(in, result);
    return result;
}

void normalizer::normalize(const normalize_input& in, normalize_result& out) const {
    out.readings.clear();  // keeps its capacity: no allocation per message on the data path
    out.status.reset();
    out.rejected.reset();
    out.detail.clear();
    out.ignored = ignored_topic(in.topic);
    if (out.ignored) return;
    if (const std::optional<std::string_view> reason = control_topic_reason(in.topic)) {
        out.rejected = reject_reason::no_value;
        out.detail = std::string(*reason);
        return;
    }
    if (is_status_topic(in.topic) && !status_topic_carries_readings(in, opts_)) {
        normalize_result status = read_status(in);
        out.status = std::move(status.status);
        out.rejected = status.rejected;
        out.detail = std::move(status.detail);
        return;
    }
    // Readings of a rejected message are discarded: a message is accepted or rejected whole.
    check c;
    if (const auto esphome = detail::esphome_state_topic(in.topic)) {
        detail::reading_sink sink{in, opts_.max_readings_per_message, out.readings};
        c = detail::read_esphome(*esphome, sink);
    } else {
        c = read_payload(in, opts_, out.readings);
    }
    if (c) {
        out.readings.clear();
        out.rejected = c->reason;
        out.detail = std::move(c->detail);
    }
}

}  // namespace sb
