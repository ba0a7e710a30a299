#pragma once
// ESPHome's MQTT state topics (docs/CONVENTIONS.md, "ESPHome"):
//   <node>/sensor/<object>/state         "21.5"           a number (as any bare value)
//   <node>/binary_sensor/<object>/state  "ON" | "OFF"     a boolean
//   <node>/text_sensor/<object>/state    any text         the text as it is, never a number
// <node>/status (online/offline, its will) is an ordinary status topic. The id is the topic id
// (with the default filters `+/sensor/+/state` ...: `<node>.<object>`). Internal to normalize/.
#include <optional>
#include <string_view>

#include "normalize/fields.hpp"

namespace sb::detail {

enum class esphome_component { binary_sensor, text_sensor };

// binary_sensor and text_sensor state topics, which read their payload their own way;
// nullopt for anything else (a sensor's state is a bare value like any other).
std::optional<esphome_component> esphome_state_topic(std::string_view topic) noexcept;

check read_esphome(esphome_component component, reading_sink& sink);

}  // namespace sb::detail
