#pragma once
// Status topics (docs/CONVENTIONS.md): ".../status", ".../availability", ".../LWT" (Tasmota) and
// ".../online" (Shelly) carry a sensor's online state, not a value. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace sb {

struct status_update {
    std::string sensor_id;
    bool online = false;
};

// Whether the topic's last level is status, availability, LWT or online (any case).
bool is_status_topic(std::string_view topic) noexcept;

// The sensor a status topic speaks for. When a wildcard matched the status level itself it
// is dropped: filter "sensors/#", topic "sensors/temp-1/status", topic id "temp-1.status" ->
// "temp-1". When the filter named that level the topic id is the sensor: filter "tele/+/LWT",
// topic "tele/plug1/LWT", topic id "plug1" -> "plug1". "" when nothing is left. Told apart
// by whether the topic id ends in "." + that level, so a level that itself contains '.' and
// ends so ("x/a.status/status" with "x/+/status") is read as the first case -> "a".
std::string status_sensor_id(std::string_view topic, std::string_view topic_id);

// online/offline, true/false, 1/0, connected/disconnected, up/down (any case, surrounding
// spaces or quotes allowed), or a JSON object {"state"|"status": one of those, or a boolean}.
// nullopt otherwise, and for an object that names a member twice (core/json_duplicate_key.hpp).
std::optional<bool> parse_online_state(std::string_view payload);

// Why parse_online_state refused a payload when the reason is a duplicate member name
// ("duplicate key \"state\""), so it is rejected as malformed JSON; nullopt otherwise.
std::optional<std::string> status_payload_duplicate_key(std::string_view payload);

// Whether the payload is a JSON object with neither a "state" nor a "status" member: on a
// ".../status" topic that is device state to read as metrics (Shelly Gen1's light/0/status
// {"ison":true,"brightness":50}), not an online state. The caller bounds size and depth.
bool is_object_without_state(std::string_view payload);

}  // namespace sb
