#pragma once
// Home Assistant discovery's live state, on the network thread (docs/CONVENTIONS.md "Home
// Assistant discovery"): the configs seen, by config topic; the sensor each defines; which
// topics feed them. The pipeline asks it, per message, whether a topic is a discovered state
// or availability topic, and tells it each config message. Bounded by max_entities.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/reading.hpp"
#include "normalize/ha_discovery.hpp"

namespace sb {

class discovery_registry {
public:
    struct entity {
        ha_entity config;
        std::string sensor_id;
        std::shared_ptr<const sensor_meta> meta;
        std::uint64_t payload_hash = 0;   // of the config: a retained repeat changes nothing
        std::vector<signed char> avail;   // per availability entry: -1 unknown, 0 offline, 1 online
        std::size_t held_bytes = 0;       // its config's topic and payload (max_bytes)
    };
    // What a topic feeds: entities reading it as state, and as availability.
    struct topic_use {
        std::string topic;  // the key of topics_ views it
        std::vector<entity*> state;
        std::vector<entity*> availability;
    };
    // A config message's effect.
    struct change {
        const entity* now = nullptr;   // the entity as it is now (nullptr: removed or refused)
        std::string old_sensor_id;     // the sensor the config described before ("" if none)
        std::vector<std::string> topics_gained;  // now read, not before
        std::vector<std::string> topics_lost;    // read before, no more
        bool unchanged = false;        // a repeat of the config it has
    };

    // max_bytes: the held configs' topics and payloads together (put's held_bytes).
    explicit discovery_registry(std::size_t max_entities, std::size_t max_bytes = SIZE_MAX)
        : max_entities_(max_entities), max_bytes_(max_bytes) {}
    discovery_registry(const discovery_registry&) = delete;  // topics_ points into entities_
    discovery_registry& operator=(const discovery_registry&) = delete;

    // A config (parsed; its sensor id chosen by the caller), held_bytes its topic and payload.
    // False when over max_entities or max_bytes: a config it replaces then stays as it was.
    bool put(std::string_view config_topic, ha_entity config, std::string sensor_id, std::uint64_t payload_hash,
             std::size_t held_bytes, change& out);
    // An empty config: its entity goes.
    void remove(std::string_view config_topic, change& out);
    // Whether config_topic holds a config.
    bool same_topic(std::string_view config_topic) const { return entities_.count(std::string(config_topic)) != 0; }
    // Whether config_topic holds this exact config already.
    bool same(std::string_view config_topic, std::uint64_t payload_hash) const;

    // nullptr when no config reads the topic: one hash lookup, none while nothing is discovered.
    const topic_use* find(std::string_view topic) const {
        if (topics_.empty()) return nullptr;
        const auto it = topics_.find(topic);
        return it == topics_.end() ? nullptr : it->second.get();
    }
    std::size_t size() const noexcept { return entities_.size(); }
    std::size_t max_entities() const noexcept { return max_entities_; }
    std::size_t held_bytes() const noexcept { return held_bytes_; }

private:
    void link(entity& e, change& out);
    void unlink(entity& e, change& out);
    topic_use& use(const std::string& topic, change& out);
    void drop_if_unused(const std::string& topic, change& out);

    std::size_t max_entities_;
    std::size_t max_bytes_;
    std::size_t held_bytes_ = 0;
    std::unordered_map<std::string, std::unique_ptr<entity>> entities_;  // by config topic
    std::unordered_map<std::string_view, std::unique_ptr<topic_use>> topics_;  // keys view topic_use::topic
};

// Whether a state or availability message says the sensor is online: the entity's availability
// entry for this topic rendered and compared, combined per availability_mode. Updates e.avail;
// nullopt when the payload is neither of the entry's payloads.
std::optional<bool> discovered_availability(discovery_registry::entity& e, std::string_view topic,
                                            std::string_view payload);

// The value a state payload gives the entity: a number or text for a sensor (a number when the
// rendered text reads as a finite number), true/false for a binary_sensor (payload_on/off).
// nullopt with why when it gives none (the key absent, not payload_on or payload_off, empty,
// "unknown", too long or not UTF-8).
std::optional<reading_value> discovered_value(const ha_entity& e, std::string_view payload, std::string& why);

}  // namespace sb
