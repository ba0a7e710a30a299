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

}  // namespace sb
