#pragma once
// Topics that by design carry no readings, recognized by their shape so that subscribing to a
// device family's whole tree (`--topic 'shellies/#'`) counts them as rejections (no_value)
// instead of turning device metadata or commands into nonsense readings. Pure.
#include <optional>
#include <string_view>

namespace sb {

// Shelly Gen1 (first level "shellies", the firmware's default prefix):
//   shellies/announce, shellies/<id>/announce    device metadata (id, model, mac, ip, fw)
//   shellies/<id>/info                          the device's whole status document
//   shellies/command, .../relay/0/command, .../roller/0/command/pos, .../light/0/set
//                                               commands to devices, not measurements
// Returns why the topic carries no reading, or nullopt for an ordinary topic.
std::optional<std::string_view> control_topic_reason(std::string_view topic) noexcept;

// Topics of a device family's tree that are not devices at all, skipped without a word (not
// rejections: they are frequent and normal). Zigbee2MQTT (first level "zigbee2mqtt", its
// default base topic): zigbee2mqtt/bridge/... (the bridge's own state, logging, devices list,
// responses) and commands to devices, any level "set" or "get" below a device
// (zigbee2mqtt/<name>/set, zigbee2mqtt/<name>/set/<attribute>, zigbee2mqtt/<name>/get).
// Home Assistant: homeassistant/status, its own online/offline (the default `+/status` filter
// would make Home Assistant a device).
bool ignored_topic(std::string_view topic) noexcept;

}  // namespace sb
