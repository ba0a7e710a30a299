#pragma once
// Shelly Gen2 and later (Plus, Pro, Gen3, Gen4) over MQTT (docs/CONVENTIONS.md, "Shelly Gen2+"):
//   <prefix>/events/rpc          {"src","dst","method":"NotifyStatus"|"NotifyFullStatus",
//                                 "params":{"ts":<epoch s>,"switch:0":{...},...}}
//   <prefix>/status/<component>  the component's status object, e.g. status/switch:0
//   <prefix>/online              true | false (a status topic, status_topic.hpp)
// The prefix is the device id by default. Each known component type gives its measured fields
// with their units (switch:0 -> apower W, voltage V, current A, aenergy.total Wh,
// temperature.tC °C, output); ids, configuration, sys/wifi/cloud parts and per-minute energy
// arrays are not readings. params.ts times every reading of a notification. Pure.
#include <string_view>

#include <rapidjson/document.h>

#include "normalize/fields.hpp"

namespace sb::detail {

// Whether the topic has one of the two shapes above that carry readings.
bool is_shelly_gen2_topic(std::string_view topic) noexcept;

// The readings of one such message; no_value for other RPC methods (NotifyEvent) and for
// messages without a known component.
check read_shelly_gen2(const rapidjson::Value& object, reading_sink& sink);

}  // namespace sb::detail
