#include "normalize/senml.hpp"

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "normalize/timestamp.hpp"

namespace sb::detail {

namespace {

struct senml_base {
    std::string name;
    std::string unit;
    double time = 0;
    double value = 0;
    double sum = 0;
};

std::string field(const char* key) { return std::string("SenML \"") + key + "\""; }

// Fetches an optional member of the given kind; a present member of another kind fails.
check optional_number(const rapidjson::Value& rec, const char* key, std::optional<double>& out) {
    out.reset();
    const auto it = rec.FindMember(key);
    if (it == rec.MemberEnd()) return std::nullopt;
    if (!it->value.IsNumber()) {
        return fail(reject_reason::invalid_json, field(key) + " is not a number");
    }
    out = it->value.GetDouble();
    if (!std::isfinite(*out)) {
        return fail(reject_reason::non_finite, field(key) + " is not finite");
    }
    return std::nullopt;
}

check optional_string(const rapidjson::Value& rec, const char* key, std::string_view& out,
                      bool& present) {
    const auto it = rec.FindMember(key);
    present = it != rec.MemberEnd();
    if (!present) return std::nullopt;
    if (!it->value.IsString()) {
        return fail(reject_reason::invalid_json, field(key) + " is not a string");
    }
    out = as_view(it->value);
    return std::nullopt;
}

check apply_base(const rapidjson::Value& rec, senml_base& base) {
    for (const auto& member : rec.GetObject()) {
        const std::string_view key = as_view(member.name);
        if (!key.empty() && key.back() == '_') {
            return fail(reject_reason::invalid_json, "SenML must-understand field not supported");
        }
    }
    std::string_view text;
    bool present = false;
    if (check c = optional_string(rec, "bn", text, present)) return c;
    if (present) base.name = std::string(text);
    if (check c = optional_string(rec, "bu", text, present)) return c;
    if (present) base.unit = std::string(text);
    std::optional<double> number;
    if (check c = optional_number(rec, "bt", number)) return c;
    if (number) base.time = *number;
    if (check c = optional_number(rec, "bv", number)) return c;
    if (number) base.value = *number;
    if (check c = optional_number(rec, "bs", number)) return c;
    if (number) base.sum = *number;
    return std::nullopt;
}

// The record's value; `found` stays false for a record without one.
check record_value(const rapidjson::Value& rec, const senml_base& base, reading_value& out,
                   bool& found) {
    found = true;
    std::optional<double> number;
    if (check c = optional_number(rec, "v", number)) return c;
    if (number) {
        const double v = base.value + *number;
        if (!std::isfinite(v)) return fail(reject_reason::non_finite, "SenML bv + v is not finite");
        out = v;
        return std::nullopt;
    }
    std::string_view text;
    bool present = false;
    if (check c = optional_string(rec, "vs", text, present)) return c;
    if (present) {
        if (check c = check_text(text, "SenML vs")) return c;
        out = std::string(text);
        return std::nullopt;
    }
    const auto vb = rec.FindMember("vb");
    if (vb != rec.MemberEnd()) {
        if (!vb->value.IsBool()) {
            return fail(reject_reason::invalid_json, field("vb") + " is not a boolean");
        }
        out = vb->value.GetBool();
        return std::nullopt;
    }
    if (check c = optional_number(rec, "s", number)) return c;
    if (number) {
        const double s = base.sum + *number;
        if (!std::isfinite(s)) return fail(reject_reason::non_finite, "SenML bs + s is not finite");
        out = s;
        return std::nullopt;
    }
    found = false;
    return std::nullopt;
}

// RFC 8428 §4.5.1 allows '/' in names, the id charset does not: each '/' becomes '.', the
// level separator of topic ids, and leading ones are dropped (LwM2M's "/3303/0/5700").
std::string senml_name_to_id(std::string name) {
    const std::size_t first = name.find_first_not_of('/');
    name.erase(0, first == std::string::npos ? name.size() : first);
    for (char& c : name) {
        if (c == '/') c = '.';
    }
    return name;
}

bool has_record(const rapidjson::Value& pack) {
    for (const auto& element : pack.GetArray()) {
        if (element.IsObject()) return true;
    }
    return false;
}

check read_record(const rapidjson::Value& rec, const senml_base& base, reading_sink& sink) {
    reading_value value;
    bool found = false;
    if (check c = record_value(rec, base, value, found)) return c;
    if (!found) return std::nullopt;

    std::string_view text;
    bool present = false;
    if (check c = optional_string(rec, "n", text, present)) return c;
    std::string id = senml_name_to_id(base.name + std::string(text));
    if (id.empty()) id = std::string(sink.in.topic_id);

    if (check c = optional_string(rec, "u", text, present)) return c;
    // bu is for numbers: "door = false Cel" would be nonsense. An explicit u is kept.
    const bool numeric = std::holds_alternative<double>(value);
    std::string unit = present ? std::string(text) : numeric ? base.unit : std::string();
    if (check c = check_text(unit, "SenML unit")) return c;

    std::optional<double> t;
    if (check c = optional_number(rec, "t", t)) return c;
    const std::optional<std::int64_t> ms =
        senml_time_to_ms(base.time + (t ? *t : 0.0), sink.in.received_at);
    if (!ms) return fail(reject_reason::invalid_json, "SenML time is out of range");
    return sink.add(std::move(id), std::move(value), std::move(unit), *ms);
}

}  // namespace

check read_senml(const rapidjson::Value& pack, reading_sink& sink) {
    senml_base base;
    // ["sensor"] (Shelly's act_reasons) is valid JSON but no SenML pack and no reading.
    if (!pack.Empty() && !has_record(pack)) {
        return fail(reject_reason::no_value, "JSON array without objects is not a SenML pack");
    }
    const std::size_t before = sink.out.size();
    for (const auto& rec : pack.GetArray()) {
        if (!rec.IsObject()) {
            return fail(reject_reason::invalid_json, "SenML record is not an object");
        }
        if (check c = apply_base(rec, base)) return c;
        if (check c = read_record(rec, base, sink)) return c;
    }
    if (sink.out.size() == before) return fail(reject_reason::no_value, "SenML pack has no values");
    return std::nullopt;
}

}  // namespace sb::detail
