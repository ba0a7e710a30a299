#include "normalize/ha_discovery.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <cmath>
#include <utility>

#include "core/json_depth.hpp"
#include "core/json_duplicate_key.hpp"
#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

using json = rapidjson::Value;

// A config nests three levels (config, availability list, entry); deeper ones are refused
// before RapidJSON, whose destructor recurses, sees them.
constexpr int max_config_depth = 32;
// expire_after in seconds beyond this (31,000 years) is refused: the milliseconds stay in range.
constexpr double max_expire_after_s = 1e12;

std::string_view as_view(const json& v) noexcept { return {v.GetString(), v.GetStringLength()}; }

// HA's discovery topic levels: component \w+, node_id and object_id [a-zA-Z0-9_-]+.
bool is_id_level(std::string_view level, bool dash_ok) noexcept {
    if (level.empty()) return false;
    for (char c : level) {
        const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
        if (!word && !(dash_ok && c == '-')) return false;
    }
    return true;
}

// HA's "~" rule, quirk included: a "~" at the end is expanded on the original text, so "~x~"
// keeps its first "~" (HA assigns both expansions in turn; the second wins).
std::string expand_base(std::string_view topic, const std::optional<std::string>& base) {
    if (!base || topic.empty()) return std::string(topic);
    if (topic.back() == '~') return std::string(topic.substr(0, topic.size() - 1)) + *base;
    if (topic.front() == '~') return *base + std::string(topic.substr(1));
    return std::string(topic);
}

// Typed reads from one JSON object of a config. The first failure goes to why, naming the key
// with its place ("device.name is not a string"). Null counts as absent (a decision: HA's
// schemas default most keys; name: null is documented as "no name").
struct fields {
    const json& object;
    std::string place;  // "" or "device." or "availability[1]."
    std::string& why;

    bool fail(std::string_view key, std::string_view what) const {
        why = place + std::string(key) + " " + std::string(what);
        return false;
    }

    // The value under the full key or its abbreviation. HA expands abbreviations by popping
    // and re-inserting keys, so when both are present the abbreviation's value is kept; of
    // duplicate keys the last (Python's json.loads).
    const json* get(std::string_view key, std::string_view abbreviation = {}) const {
        const json* full = nullptr;
        const json* abbreviated = nullptr;
        for (const auto& m : object.GetObject()) {
            if (as_view(m.name) == key) full = &m.value;
            if (!abbreviation.empty() && as_view(m.name) == abbreviation) abbreviated = &m.value;
        }
        const json* v = abbreviated != nullptr ? abbreviated : full;
        return v != nullptr && !v->IsNull() ? v : nullptr;
    }

    bool text_of(const json& v, std::string_view key, std::string& out) const {
        if (!v.IsString()) return fail(key, "is not a string");
        const std::string_view s = as_view(v);
        // RapidJSON decodes "\u0000" and lone surrogates into bytes that are no text.
        if (s.find('\0') != std::string_view::npos || !is_valid_utf8(s)) return fail(key, "is not UTF-8 text");
        out = std::string(s);
        return true;
    }

    // out keeps its value (a default) when the key is absent.
    bool text(std::string_view key, std::string_view abbreviation, std::string& out) const {
        const json* v = get(key, abbreviation);
        return v == nullptr || text_of(*v, key, out);
    }

    // payload_on and the like. HA reads them with cv.string, str() of a bool or number: the
    // config's false is "False", as a template renders it (ha_text form, so 1.0 is "1").
    bool payload(std::string_view key, std::string_view abbreviation, std::string& out) const {
        const json* v = get(key, abbreviation);
        if (v != nullptr && v->IsBool()) out = ha_text(v->GetBool());
        else if (v != nullptr && v->IsNumber()) out = ha_text(v->GetDouble());
        else return text(key, abbreviation, out);
        return true;
    }

    // A topic to subscribe to, "~" expanded; "" when absent.
    bool topic(std::string_view key, std::string_view abbreviation, const std::optional<std::string>& base,
               std::string& out) const {
        std::string raw;
        if (!text(key, abbreviation, raw)) return false;
        if (get(key, abbreviation) == nullptr) return true;
        out = expand_base(raw, base);
        if (out.empty()) return fail(key, "is empty");
        if (out.find_first_of("+#") != std::string::npos) return fail(key, "has a wildcard (+ or #)");
        if (out.size() > 65535) return fail(key, "is longer than an MQTT topic can be");
        return true;
    }
};

// A template field. One that compile() refuses is no failure (HA would take it; the bridge
// cannot render it): the entity is marked unsupported, naming the field, first refusal kept.
bool read_template(const fields& f, std::string_view key, std::string_view abbreviation,
                   std::optional<ha_template>& out, std::string& text, ha_entity& e) {
    if (f.get(key, abbreviation) == nullptr) return true;
    if (!f.text(key, abbreviation, text)) return false;
    std::string refusal;
    out = ha_template::compile(text, refusal);
    if (!out && e.template_supported) {
        e.template_supported = false;
        e.unsupported = f.place + std::string(key) + ": " + refusal;
    }
    return true;
}

// identifiers: a string or a list of strings; connections: a list of [type, value] pairs.
// device_id is the first identifier, else the first connection's value. A device with neither
// is kept with device_id "" (HA refuses it; the entity is still usable here).
bool read_device(const fields& top, ha_entity& e) {
    const json* device = top.get("device", "dev");
    if (device == nullptr) return true;
    if (!device->IsObject()) return top.fail("device", "is not an object");
    const fields dev{*device, "device.", top.why};
    if (!dev.text("name", "", e.device_name)) return false;
    const json* ids = dev.get("identifiers", "ids");
    if (ids != nullptr && ids->IsString() && !dev.text_of(*ids, "identifiers", e.device_id)) return false;
    if (ids != nullptr && !ids->IsString()) {
        if (!ids->IsArray()) return dev.fail("identifiers", "is not a string or a list");
        for (const json& id : ids->GetArray()) {
            std::string text;
            if (!dev.text_of(id, "identifiers", text)) return false;
            if (e.device_id.empty()) e.device_id = std::move(text);
        }
    }
    const json* connections = dev.get("connections", "cns");
    if (connections == nullptr) return true;
    if (!connections->IsArray()) return dev.fail("connections", "is not a list");
    for (const json& pair : connections->GetArray()) {
        if (!pair.IsArray() || pair.Size() != 2) return dev.fail("connections", "has an entry that is not a [type, value] pair");
        std::string type, value;
        if (!dev.text_of(pair[0], "connections", type) || !dev.text_of(pair[1], "connections", value)) return false;
        if (e.device_id.empty()) e.device_id = std::move(value);
    }
    return true;
}

// As the header says; the device name and the entity name are joined with one space, as HA's
// friendly name is. An empty name counts as none (a decision). The object_id fallback is the
// config's object_id when given, else the topic's.
bool read_name(const fields& top, const ha_config_topic& where, ha_entity& e) {
    std::string name, object_id;
    if (!top.text("name", "", name) || !top.text("object_id", "obj_id", object_id)) return false;
    bool has_entity_name = false;
    if (const json* v = top.get("has_entity_name")) {
        if (!v->IsBool()) return top.fail("has_entity_name", "is not a boolean");
        has_entity_name = v->GetBool();
    }
    if (!name.empty()) {
        e.name = has_entity_name && !e.device_name.empty() ? e.device_name + " " + name : name;
    } else {
        e.name = !e.device_name.empty() ? e.device_name : !object_id.empty() ? object_id : where.object_id;
    }
    return true;
}

// One entry of the availability list: its own payloads (defaults online/offline, not the
// config's pl_avail) and template.
bool read_availability_entry(const json& entry, std::size_t i, const std::optional<std::string>& base,
                             ha_entity& e, std::string& why) {
    const std::string place = "availability[" + std::to_string(i) + "]";
    if (!entry.IsObject()) {
        why = place + " is not an object";
        return false;
    }
    const fields f{entry, place + ".", why};
    ha_availability a;
    std::string template_text;
    if (!f.topic("topic", "t", base, a.topic)) return false;
    if (a.topic.empty()) return f.fail("topic", "is missing");
    if (!f.payload("payload_available", "pl_avail", a.payload_available) ||
        !f.payload("payload_not_available", "pl_not_avail", a.payload_not_available) ||
        !read_template(f, "value_template", "val_tpl", a.value_template, template_text, e)) {
        return false;
    }
    e.availability.push_back(std::move(a));
    return true;
}

// availability_topic (with the config's payloads and availability_template, avty_tpl) then the
// availability list (a list of objects, or one object). HA takes one or the other; both are
// kept here, in that order (a decision).
bool read_availability(const fields& top, const std::optional<std::string>& base, ha_entity& e) {
    ha_availability single;
    std::string template_text;
    if (!top.topic("availability_topic", "avty_t", base, single.topic)) return false;
    if (!single.topic.empty()) {
        if (!top.payload("payload_available", "pl_avail", single.payload_available) ||
            !top.payload("payload_not_available", "pl_not_avail", single.payload_not_available) ||
            !read_template(top, "availability_template", "avty_tpl", single.value_template, template_text, e)) {
            return false;
        }
        e.availability.push_back(std::move(single));
    }
    if (const json* list = top.get("availability", "avty")) {
        if (list->IsObject() && !read_availability_entry(*list, 0, base, e, top.why)) return false;
        if (!list->IsObject() && !list->IsArray()) return top.fail("availability", "is not a list");
        for (rapidjson::SizeType i = 0; list->IsArray() && i < list->Size(); ++i) {
            if (!read_availability_entry((*list)[i], i, base, e, top.why)) return false;
        }
    }
    std::string mode = "latest";
    if (!top.text("availability_mode", "avty_mode", mode)) return false;
    if (mode == "all") e.availability_mode = ha_entity::mode::all;
    else if (mode == "any") e.availability_mode = ha_entity::mode::any;
    else if (mode != "latest") return top.fail("availability_mode", "is not all, any or latest");
    return true;
}

bool read_expire_after(const fields& top, ha_entity& e) {
    const json* expire = top.get("expire_after", "exp_aft");
    if (expire == nullptr) return true;
    if (!expire->IsNumber()) return top.fail("expire_after", "is not a number");
    // HA coerces it to an int: 1.5 s is 1 s.
    const double seconds = std::trunc(expire->GetDouble());
    if (seconds < 0 || seconds > max_expire_after_s) return top.fail("expire_after", "is out of range");
    e.expire_after_ms = static_cast<std::int64_t>(seconds) * 1000;
    return true;
}

bool parse_object(std::string_view payload, rapidjson::Document& doc, std::string& why) {
    if (json_exceeds_depth(payload, max_config_depth)) {
        why = "nests deeper than " + std::to_string(max_config_depth) + " levels";
        return false;
    }
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(payload.data(), payload.size());
    if (doc.HasParseError()) {
        why = std::string("not JSON: ") + rapidjson::GetParseError_En(doc.GetParseError()) + " at offset " +
              std::to_string(doc.GetErrorOffset());
        return false;
    }
    if (!doc.IsObject()) {
        why = "not a JSON object";
        return false;
    }
    if (const auto name = find_duplicate_key(doc)) {
        why = duplicate_key_detail(*name);
        return false;
    }
    return true;
}

}  // namespace

std::optional<ha_config_topic> parse_ha_config_topic(std::string_view topic, std::string_view prefix) {
    if (topic.size() <= prefix.size() || topic.substr(0, prefix.size()) != prefix || topic[prefix.size()] != '/') {
        return std::nullopt;
    }
    std::string_view rest = topic.substr(prefix.size() + 1);
    std::string_view levels[4];  // <component>/[<node_id>/]<object_id>/config
    std::size_t count = 0;
    for (;;) {
        if (count == 4) return std::nullopt;
        const std::size_t slash = rest.find('/');
        levels[count++] = rest.substr(0, slash);
        if (slash == std::string_view::npos) break;
        rest.remove_prefix(slash + 1);
    }
    if (count < 3 || levels[count - 1] != "config" || !is_id_level(levels[0], false)) return std::nullopt;
    for (std::size_t i = 1; i + 1 < count; ++i) {
        if (!is_id_level(levels[i], true)) return std::nullopt;
    }
    ha_config_topic out;
    if (levels[0] == "sensor") out.component = ha_component::sensor;
    if (levels[0] == "binary_sensor") out.component = ha_component::binary_sensor;
    if (count == 4) out.node_id = std::string(levels[1]);
    out.object_id = std::string(levels[count - 2]);
    return out;
}

std::optional<ha_entity> parse_ha_config(const ha_config_topic& where, std::string_view payload, std::string& why) {
    rapidjson::Document doc;
    if (!parse_object(payload, doc, why)) return std::nullopt;
    const fields top{doc, "", why};
    std::optional<std::string> base;
    if (top.get("~") != nullptr && !top.text("~", "", base.emplace())) return std::nullopt;
    if (top.get("state_topic", "stat_t") == nullptr) {
        why = "no state_topic";
        return std::nullopt;
    }
    ha_entity e;
    e.component = where.component;
    e.node_id = where.node_id;
    e.object_id = where.object_id;
    const bool ok = top.topic("state_topic", "stat_t", base, e.state_topic) &&
                    top.text("unique_id", "uniq_id", e.unique_id) &&
                    top.text("unit_of_measurement", "unit_of_meas", e.unit) &&
                    top.text("device_class", "dev_cla", e.device_class) &&
                    top.payload("payload_on", "pl_on", e.payload_on) &&
                    top.payload("payload_off", "pl_off", e.payload_off) &&
                    read_template(top, "value_template", "val_tpl", e.value_template, e.template_text, e) &&
                    read_device(top, e) && read_name(top, where, e) && read_availability(top, base, e) &&
                    read_expire_after(top, e);
    if (!ok) return std::nullopt;
    return e;
}

}  // namespace sb
