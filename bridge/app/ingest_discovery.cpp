// ingest_pipeline's Home Assistant discovery part (docs/CONVENTIONS.md "Home Assistant
// discovery"): config messages define sensors; their state and availability topics are read
// through the config (template, unit, payload_on/off), not by the payload conventions.
#include <algorithm>
#include <limits>

#include "app/ingest_pipeline.hpp"
#include "core/json_depth.hpp"
#include "core/log.hpp"
#include "core/sensor_id.hpp"
#include "hub/hub.hpp"
#include "state/sensor_registry.hpp"
#include "wire/message_kind.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb {
namespace {

constexpr std::string_view discovery_prefix = "homeassistant/";

}  // namespace

bool ingest_pipeline::discovery_message(const mqtt_message& m, std::uint64_t payload_hash) {
    if (m.topic.size() > discovery_prefix.size() && m.topic.compare(0, discovery_prefix.size(), discovery_prefix) == 0) {
        if (const auto where = parse_ha_config_topic(m.topic)) {
            on_config(m, *where, payload_hash);
            return true;
        }
    }
    const discovery_registry::topic_use* use = discovery_.find(m.topic);
    if (use == nullptr) return false;
    const bool availability = !use->availability.empty() && on_discovered_availability(m, *use);
    if (!use->state.empty()) {
        if (!availability) on_discovered_state(m, *use, payload_hash);
    } else if (availability) {
        ++stats_.accepted;
    } else {
        reject(m, "no_value", "availability payload is neither payload_available nor payload_not_available");
    }
    return true;
}

void ingest_pipeline::on_config(const mqtt_message& m, const ha_config_topic& where, std::uint64_t payload_hash) {
    if (where.component == ha_component::other) {  // switch, light, ...: commands, not sensors
        ++stats_.ignored;
        return;
    }
    discovery_registry::change ch;
    if (m.payload.empty()) {
        discovery_.remove(m.topic, ch);
    } else if (discovery_.same(m.topic, payload_hash)) {
        ++stats_.accepted;  // a retained repeat (every reconnect)
        return;
    } else {
        // Kept while in use: --max-payload bounds each, --max-sensors their number.
        if (m.payload.size() > normalizer_.options().max_payload) return reject(m, "too_large", "config over --max-payload");
        std::string why;
        std::optional<ha_entity> config = parse_ha_config(where, m.payload, why);
        if (!config) return reject(m, "bad_discovery_config", why);
        std::string id = discovered_sensor_id(*config);
        if (id.empty()) return reject(m, "bad_id", "no valid sensor id from the state topic, unique_id or object_id");
        if (!config->template_supported) {
            SB_LOG(warn, "discovery", "unsupported value_template: its state messages are rejected",
                   "config=" + log_quote(m.topic) + " template=" + log_quote(config->template_text, 96) +
                       " why=" + log_quote(config->unsupported));
        }
        const std::size_t held = m.topic.size() + m.payload.size();
        if (discovery_.size() >= discovery_.max_entities() && !discovery_.same_topic(m.topic)) {
            return reject(m, "too_many_sensors", "discovery configs at --max-sensors");
        }
        if (!discovery_.put(m.topic, std::move(*config), std::move(id), payload_hash, held, ch)) {
            return reject(m, "too_many_sensors", "discovery configs over --max-discovery-bytes");
        }
    }
    apply_discovery_change(ch);
    stats_.discovered = discovery_.size();
    ++stats_.accepted;
}

// The id the conventions would give the same value, so a sensor seen before its config (or
// without discovery) keeps its id and history: the state topic's id under the configured
// filters, plus the template's JSON path ("Living Room" + "temperature"). A state topic outside
// the filters: the config's unique_id, else <node_id>.<object_id>.
std::string ingest_pipeline::discovered_sensor_id(const ha_entity& c) const {
    std::string id = topic_sensor_id(filters_, c.state_topic);
    if (!id.empty() && c.value_template) {
        const std::string path = c.value_template->path_id();
        if (!path.empty()) id += "." + path;
    }
    if (!id.empty() && is_valid_sensor_id(id)) return id;
    if (is_valid_sensor_id(c.unique_id)) return c.unique_id;
    id = c.node_id.empty() ? c.object_id : c.node_id + "." + c.object_id;
    return is_valid_sensor_id(id) ? id : std::string();
}

bool ingest_pipeline::covered(const std::string& topic) const {
    return std::any_of(filters_.begin(), filters_.end(), [&](const topic_filter& f) { return f.matches(topic); });
}

void ingest_pipeline::apply_discovery_change(const discovery_registry::change& ch) {
    if (subscriber_) {
        // Topics under the configured filters arrive anyway: a second subscription would make
        // some brokers deliver them twice.
        for (const std::string& t : ch.topics_lost) {
            if (!covered(t)) subscriber_(t, false);
        }
        for (const std::string& t : ch.topics_gained) {
            if (!covered(t)) subscriber_(t, true);
        }
    }
    if (!ch.old_sensor_id.empty() && (ch.now == nullptr || ch.now->sensor_id != ch.old_sensor_id)) {
        set_meta(ch.old_sensor_id, nullptr);
    }
    if (ch.now != nullptr) set_meta(ch.now->sensor_id, ch.now->meta);
}

// The sensor's stored latest takes the meta (REST, snapshots) and its rooms are told.
void ingest_pipeline::set_meta(const std::string& sensor_id, std::shared_ptr<const sensor_meta> meta) {
    if (sensor_registry::entry* e = latest_.find(sensor_id); e != nullptr && e->latest.seq != 0) {
        e->latest.meta = meta;
        e->message = make_message_(reading_message_json(e->latest));
    }
    hub_.publish(sensor_id, make_message_(meta_json(sensor_id, meta.get())), message_kind::status);
}

bool ingest_pipeline::on_discovered_availability(const mqtt_message& m, const discovery_registry::topic_use& use) {
    bool any = false;
    for (discovery_registry::entity* e : use.availability) {
        const std::optional<bool> online = discovered_availability(*e, m.topic, m.payload);
        if (!online) continue;
        any = true;
        apply_status(status_update{e->sensor_id, *online});
    }
    return any;
}

void ingest_pipeline::on_discovered_state(const mqtt_message& m, const discovery_registry::topic_use& use,
                                          std::uint64_t payload_hash) {
    const normalize_options& limits = normalizer_.options();
    if (m.payload.size() > limits.max_payload) return reject(m, "too_large", "payload over --max-payload");
    if (json_exceeds_depth(m.payload, limits.max_depth)) return reject(m, "too_deep", "JSON nested too deep");
    std::vector<reading>& readings = scratch_.readings;
    readings.clear();
    std::string why;
    std::string unsupported;
    for (const discovery_registry::entity* e : use.state) {
        if (!e->config.template_supported) {
            unsupported = e->config.unsupported;
            continue;
        }
        std::string no_value;
        std::optional<reading_value> v = discovered_value(e->config, m.payload, no_value);
        if (!v) {
            if (why.empty()) why = no_value;
            continue;
        }
        reading r;
        r.sensor_id = e->sensor_id;
        r.value = std::move(*v);
        r.unit = e->config.unit;
        r.timestamp = m.received_at;
        r.received_at = m.received_at;
        r.topic = std::string(m.topic);
        r.meta = e->meta;
        readings.push_back(std::move(r));
    }
    if (readings.empty()) {
        // One entity of a device topic missing its key is normal; none giving a value is not.
        if (!unsupported.empty() && why.empty()) return reject(m, "unsupported_template", unsupported);
        return reject(m, "no_value", why);
    }
    publish_readings(m, readings, payload_hash);
    // expire_after: the silence after which the sensor is stale is the config's.
    for (const discovery_registry::entity* e : use.state) {
        if (e->config.expire_after_ms <= 0) continue;
        sensor_registry::entry* entry = latest_.find(e->sensor_id);
        if (entry == nullptr || entry->status == nullptr) continue;
        entry->status->expire_ms = static_cast<std::uint32_t>(
            std::min<std::int64_t>(e->config.expire_after_ms, std::numeric_limits<std::uint32_t>::max()));
    }
}

}  // namespace sb
