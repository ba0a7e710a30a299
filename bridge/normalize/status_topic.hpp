#pragma once
// Status topics (DESIGN.md §4): ".../status", ".../availability" and ".../LWT" carry a sensor's
// online state, not a value. Pure.
#include <optional>
#include <string>
#include <string_view>

namespace sb {

struct status_update {
    std::string sensor_id;
    bool online = false;
};

// Whether the topic's last level is status, availability or LWT (any case).
bool is_status_topic(std::string_view topic) noexcept;

// The sensor a status topic speaks for: the topic id without its last level
// ("temp-1.status" -> "temp-1"); "" when nothing is left.
std::string status_sensor_id(std::string_view topic_id);

// online/offline, true/false, 1/0, connected/disconnected (any case, surrounding spaces or
// quotes allowed), or a JSON object {"state"|"status": one of those}. nullopt otherwise.
std::optional<bool> parse_online_state(std::string_view payload);

}  // namespace sb
