#include "app/discovery_registry.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

constexpr std::size_t max_text = 128;  // like every string value (docs/PROTOCOL.md §1)

template <class T>
void erase_one(std::vector<T*>& v, const T* p) {
    v.erase(std::remove(v.begin(), v.end(), p), v.end());
}

// A finite number written whole in the text ("21.5", "-3", "1e3"), as HA's sensor reads it.
std::optional<double> number_in(const std::string& text) {
    if (text.empty() || text.size() > 64) return std::nullopt;
    char* end = nullptr;
    errno = 0;
    const double d = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || errno == ERANGE || !std::isfinite(d)) return std::nullopt;
    if (std::isspace(static_cast<unsigned char>(text.front()))) return std::nullopt;
    return d;
}

std::optional<reading_value> sensor_value(const ha_template::value& v, std::string& why) {
    if (const double* d = std::get_if<double>(&v)) return reading_value(*d);
    if (const bool* b = std::get_if<bool>(&v)) return reading_value(*b);
    if (std::holds_alternative<ha_template::undefined>(v)) {
        why = "the template gives nothing for this payload";
        return std::nullopt;
    }
    const std::string& text = std::get<std::string>(v);
    if (auto d = number_in(text)) return reading_value(*d);
    // HA's words for "no state": not a value.
    if (text.empty() || text == "unknown" || text == "unavailable" || text == "None") {
        why = "no state (\"" + text + "\")";
        return std::nullopt;
    }
    if (text.size() > max_text || !is_valid_utf8(text)) {
        why = "state text over 128 bytes or not UTF-8";
        return std::nullopt;
    }
    return reading_value(text);
}

}  // namespace

bool discovery_registry::same(std::string_view config_topic, std::uint64_t payload_hash) const {
    const auto it = entities_.find(std::string(config_topic));
    return it != entities_.end() && it->second->payload_hash == payload_hash;
}

bool discovery_registry::put(std::string_view config_topic, ha_entity config, std::string sensor_id,
                             std::uint64_t payload_hash, std::size_t held_bytes, change& out) {
    const std::string key(config_topic);
    auto it = entities_.find(key);
    const std::size_t replaced = it == entities_.end() ? 0 : it->second->held_bytes;
    if (held_bytes_ - replaced + held_bytes > max_bytes_) return false;
    if (it == entities_.end()) {
        if (entities_.size() >= max_entities_) return false;
        it = entities_.emplace(key, std::make_unique<entity>()).first;
    } else {
        out.old_sensor_id = it->second->sensor_id;
        unlink(*it->second, out);
    }
    entity& e = *it->second;
    auto meta = std::make_shared<sensor_meta>();
    meta->name = config.name;
    meta->device_class = config.device_class;
    meta->device_id = config.device_id;
    meta->device_name = config.device_name;
    e.meta = std::move(meta);
    e.config = std::move(config);
    e.sensor_id = std::move(sensor_id);
    e.payload_hash = payload_hash;
    e.avail.assign(e.config.availability.size(), -1);
    held_bytes_ = held_bytes_ - replaced + held_bytes;
    e.held_bytes = held_bytes;
    link(e, out);
    out.now = &e;
    // A topic both lost and gained (the new config reads it too) is neither.
    for (auto lost = out.topics_lost.begin(); lost != out.topics_lost.end();) {
        const auto gained = std::find(out.topics_gained.begin(), out.topics_gained.end(), *lost);
        if (gained == out.topics_gained.end()) {
            ++lost;
            continue;
        }
        out.topics_gained.erase(gained);
        lost = out.topics_lost.erase(lost);
    }
    return true;
}

void discovery_registry::remove(std::string_view config_topic, change& out) {
    const auto it = entities_.find(std::string(config_topic));
    if (it == entities_.end()) return;
    out.old_sensor_id = it->second->sensor_id;
    unlink(*it->second, out);
    held_bytes_ -= it->second->held_bytes;
    entities_.erase(it);
}

discovery_registry::topic_use& discovery_registry::use(const std::string& topic, change& out) {
    const auto it = topics_.find(topic);
    if (it != topics_.end()) return *it->second;
    auto u = std::make_unique<topic_use>();
    u->topic = topic;
    topic_use& ref = *u;
    topics_.emplace(std::string_view(ref.topic), std::move(u));
    out.topics_gained.push_back(topic);
    return ref;
}

void discovery_registry::drop_if_unused(const std::string& topic, change& out) {
    const auto it = topics_.find(topic);
    if (it == topics_.end() || !it->second->state.empty() || !it->second->availability.empty()) return;
    out.topics_lost.push_back(topic);
    topics_.erase(it);
}

void discovery_registry::link(entity& e, change& out) {
    use(e.config.state_topic, out).state.push_back(&e);
    for (const ha_availability& a : e.config.availability) {
        auto& readers = use(a.topic, out).availability;
        if (std::find(readers.begin(), readers.end(), &e) == readers.end()) readers.push_back(&e);
    }
}

void discovery_registry::unlink(entity& e, change& out) {
    std::vector<std::string> topics{e.config.state_topic};
    for (const ha_availability& a : e.config.availability) topics.push_back(a.topic);
    for (const std::string& t : topics) {
        const auto it = topics_.find(t);
        if (it == topics_.end()) continue;
        erase_one(it->second->state, &e);
        erase_one(it->second->availability, &e);
        drop_if_unused(t, out);
    }
}

std::optional<bool> discovered_availability(discovery_registry::entity& e, std::string_view topic,
                                            std::string_view payload) {
    bool matched = false;
    for (std::size_t i = 0; i < e.config.availability.size(); ++i) {
        const ha_availability& a = e.config.availability[i];
        if (a.topic != topic) continue;
        const std::string text = a.value_template ? ha_text(a.value_template->render(payload)) : std::string(payload);
        if (text == a.payload_available) {
            e.avail[i] = 1;
        } else if (text == a.payload_not_available) {
            e.avail[i] = 0;
        } else {
            continue;
        }
        matched = true;
        if (e.config.availability_mode == ha_entity::mode::latest) return e.avail[i] == 1;
    }
    if (!matched) return std::nullopt;
    const auto online = [](signed char s) { return s == 1; };
    const auto offline = [](signed char s) { return s == 0; };
    if (e.config.availability_mode == ha_entity::mode::any) {
        return std::any_of(e.avail.begin(), e.avail.end(), online);
    }
    return std::none_of(e.avail.begin(), e.avail.end(), offline);  // all: unknown ones do not veto
}

std::optional<reading_value> discovered_value(const ha_entity& e, std::string_view payload, std::string& why) {
    const ha_template::value v = e.value_template ? e.value_template->render(payload)
                                                  : ha_template::value(std::string(payload));
    if (e.component != ha_component::binary_sensor) return sensor_value(v, why);
    const std::string text = ha_text(v);
    if (text == e.payload_on) return reading_value(true);
    if (text == e.payload_off) return reading_value(false);
    why = "binary_sensor state is neither payload_on nor payload_off";
    return std::nullopt;
}

}  // namespace sb
