#pragma once
// Home Assistant MQTT discovery (docs/CONVENTIONS.md "Home Assistant discovery"): where a
// config lives and what it says (its value templates: normalize/ha_template.hpp). Pure: no I/O,
// no clock, no globals. The state that ties configs to topics and sensors is app/discovery_registry's.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "normalize/ha_template.hpp"

namespace sb {

enum class ha_component { sensor, binary_sensor, other };

// homeassistant/<component>/[<node_id>/]<object_id>/config under the given discovery prefix;
// nullopt when the topic is not a config topic. Components other than sensor and binary_sensor
// come back as `other` (the caller ignores them).
struct ha_config_topic {
    ha_component component = ha_component::other;
    std::string node_id;    // "" when the topic has no node level
    std::string object_id;
};
std::optional<ha_config_topic> parse_ha_config_topic(std::string_view topic, std::string_view prefix = "homeassistant");

struct ha_availability {
    std::string topic;
    std::string payload_available = "online";
    std::string payload_not_available = "offline";
    std::optional<ha_template> value_template;  // rendered before comparing
};

struct ha_entity {
    ha_component component = ha_component::sensor;
    std::string node_id, object_id;  // from the config topic
    std::string unique_id;           // "" when the config has none
    std::string name;                // as HA would show it: see parse_ha_config
    std::string state_topic;
    std::optional<ha_template> value_template;  // none: the payload itself
    std::string template_text;       // the original, for reports
    bool template_supported = true;  // false: a template compile() refused (why in unsupported)
    std::string unsupported;
    std::string unit;          // unit_of_measurement
    std::string device_class;
    std::string device_name;   // device.name
    std::string device_id;     // device.identifiers' first (a string or a list), else the first connection's value
    std::vector<ha_availability> availability;  // availability_topic and the availability list
    enum class mode { latest, all, any } availability_mode = mode::latest;
    std::int64_t expire_after_ms = 0;  // 0: never
    std::string payload_on = "ON";     // binary_sensor; bool/number config values in ha_text form
    std::string payload_off = "OFF";
};

// Parses a discovery config payload (JSON object). Accepts the full key names and the
// abbreviations HA documents for the keys used here (stat_t, val_tpl, unit_of_meas, dev_cla,
// uniq_id, obj_id, dev with ids/name/cns, avty_t, avty with t/pl_avail/pl_not_avail/val_tpl,
// avty_mode, pl_avail, pl_not_avail, exp_aft, pl_on, pl_off, has_entity_name) and expands the
// "~" base topic at the start or end of every topic field. The name: `name` when given,
// prefixed by the device's name when has_entity_name is true; the device's name when `name`
// is null or missing; else object_id. nullopt with why when it cannot be used: not a JSON
// object, no state_topic, a topic with a wildcard, a non-string where a string belongs. An
// unsupported template is no failure: the entity comes back with template_supported false.
// (An empty payload removes a config: the caller handles that before calling this.)
std::optional<ha_entity> parse_ha_config(const ha_config_topic& where, std::string_view payload, std::string& why);

}  // namespace sb
