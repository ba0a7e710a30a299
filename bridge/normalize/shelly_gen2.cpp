#include "normalize/shelly_gen2.hpp"

#include <cstdint>
#include <string>

#include "normalize/ascii.hpp"

namespace sb::detail {
namespace {

struct field {
    std::string_view path;  // '.'-separated member path inside the component's object
    std::string_view unit;
};

struct component_type {
    std::string_view name;  // the part of "switch:0" before the colon
    const field* fields;
    std::size_t count;
};

constexpr field switch_fields[] = {{"apower", "W"},        {"voltage", "V"},          {"current", "A"},
                                   {"aenergy.total", "Wh"}, {"temperature.tC", "°C"}, {"output", ""}};
constexpr field cover_fields[] = {{"apower", "W"},        {"voltage", "V"},          {"current", "A"},
                                  {"aenergy.total", "Wh"}, {"temperature.tC", "°C"}, {"current_pos", "%"},
                                  {"state", ""}};
constexpr field input_fields[] = {{"state", ""}, {"percent", "%"}};
constexpr field temperature_fields[] = {{"tC", "°C"}};
constexpr field humidity_fields[] = {{"rh", "%"}};
constexpr field devicepower_fields[] = {{"battery.percent", "%"}, {"battery.V", "V"}, {"external.present", ""}};
constexpr field illuminance_fields[] = {{"lux", "lx"}};

template <std::size_t N>
constexpr component_type type(std::string_view name, const field (&fields)[N]) {
    return {name, fields, N};
}

constexpr component_type component_types[] = {
    type("switch", switch_fields),           type("cover", cover_fields),
    type("input", input_fields),             type("temperature", temperature_fields),
    type("humidity", humidity_fields),       type("devicepower", devicepower_fields),
    type("illuminance", illuminance_fields),
};

// "switch:0" -> its type; nullptr for sys, wifi, a configuration key or anything else.
const component_type* type_of(std::string_view component) noexcept {
    const std::size_t colon = component.find(':');
    if (colon == std::string_view::npos || colon + 1 == component.size()) return nullptr;
    for (char c : component.substr(colon + 1)) {
        if (c < '0' || c > '9') return nullptr;
    }
    for (const component_type& t : component_types) {
        if (component.substr(0, colon) == t.name) return &t;
    }
    return nullptr;
}

const rapidjson::Value* member_at(const rapidjson::Value& object, std::string_view path) {
    const rapidjson::Value* v = &object;
    while (!path.empty()) {
        if (!v->IsObject()) return nullptr;
        const std::size_t dot = path.find('.');
        const std::string_view key = path.substr(0, dot);
        const auto m = v->FindMember(rapidjson::Value(rapidjson::StringRef(key.data(), key.size())));
        if (m == v->MemberEnd()) return nullptr;
        v = &m->value;
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    return v;
}

std::string join(std::string_view a, std::string_view b) {
    if (a.empty()) return std::string(b);
    std::string out(a);
    out += '.';
    out += b;
    return out;
}

// The known fields of one component's status object; absent and null fields are skipped.
check read_component(const component_type& t, const rapidjson::Value& status, const std::string& base,
                     std::int64_t timestamp, reading_sink& sink) {
    if (!status.IsObject()) return std::nullopt;
    for (std::size_t i = 0; i < t.count; ++i) {
        const rapidjson::Value* v = member_at(status, t.fields[i].path);
        if (v == nullptr || v->IsNull() || v->IsObject() || v->IsArray()) continue;
        reading_value value;
        if (check c = read_value(*v, value)) return c;
        const std::string unit = v->IsNumber() ? std::string(t.fields[i].unit) : std::string();
        if (check c = sink.add(join(base, t.fields[i].path), std::move(value), unit, timestamp)) return c;
    }
    return std::nullopt;
}

std::string_view level_before_last(std::string_view topic) noexcept {
    const std::size_t last = topic.rfind('/');
    return last == std::string_view::npos ? std::string_view() : last_topic_level(topic.substr(0, last));
}

bool is_rpc_topic(std::string_view topic) noexcept {
    return last_topic_level(topic) == "rpc" && level_before_last(topic) == "events";
}

// <prefix>/events/rpc: NotifyStatus or NotifyFullStatus, timed by params.ts.
check read_notification(const rapidjson::Value& object, reading_sink& sink) {
    const auto method = object.FindMember("method");
    if (method == object.MemberEnd() || !method->value.IsString()) {
        return fail(reject_reason::no_value, "Shelly RPC message without a method");
    }
    const std::string_view name = as_view(method->value);
    if (name != "NotifyStatus" && name != "NotifyFullStatus") {
        return fail(reject_reason::no_value, "Shelly RPC " + std::string(name) + " carries no status");
    }
    const auto params = object.FindMember("params");
    if (params == object.MemberEnd() || !params->value.IsObject()) {
        return fail(reject_reason::no_value, "Shelly notification without params");
    }
    std::int64_t timestamp = 0;
    if (check c = read_timestamp(params->value, sink.in.received_at, timestamp)) return c;
    std::string device(sink.in.topic_id);
    if (device.empty()) {
        const auto src = object.FindMember("src");
        if (src != object.MemberEnd() && src->value.IsString()) device = std::string(as_view(src->value));
    }
    for (const auto& member : params->value.GetObject()) {
        const std::string_view component = as_view(member.name);
        if (const component_type* t = type_of(component)) {
            if (check c = read_component(*t, member.value, join(device, component), timestamp, sink)) return c;
        }
    }
    return std::nullopt;
}

// <prefix>/status/<component>: the component's object, timed on receipt. The sensor id is the
// topic id (the levels the filter's wildcards matched) with the component once.
check read_component_status(const rapidjson::Value& object, reading_sink& sink) {
    const std::string_view component = last_topic_level(sink.in.topic);
    const component_type* t = type_of(component);
    if (t == nullptr) return fail(reject_reason::no_value, "Shelly component without readings");
    std::string_view device = sink.in.topic_id;
    if (device == component) {
        device = {};
    } else if (device.size() > component.size() && device.substr(device.size() - component.size()) == component &&
               device[device.size() - component.size() - 1] == '.') {
        device.remove_suffix(component.size() + 1);
    }
    return read_component(*t, object, join(device, component), sink.in.received_at, sink);
}

}  // namespace

bool is_shelly_gen2_topic(std::string_view topic) noexcept {
    if (is_rpc_topic(topic)) return true;
    return level_before_last(topic) == "status" && type_of(last_topic_level(topic)) != nullptr;
}

check read_shelly_gen2(const rapidjson::Value& object, reading_sink& sink) {
    const std::size_t before = sink.out.size();
    check c = is_rpc_topic(sink.in.topic) ? read_notification(object, sink) : read_component_status(object, sink);
    if (c) return c;
    if (sink.out.size() == before) return fail(reject_reason::no_value, "Shelly message without readings");
    return std::nullopt;
}

}  // namespace sb::detail
