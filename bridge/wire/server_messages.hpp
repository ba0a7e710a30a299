#pragma once
// Server -> client control messages (docs/PROTOCOL.md §3). Pure builders of JSON text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wire/error_code.hpp"

#include "core/reading.hpp"

namespace sb {

// instance: the database's instance id, which gives seqs and `since` their meaning.
// auth_required: the client must send an auth message before anything but ping.
std::string connected_json(std::string_view version, std::string_view instance, std::uint32_t heartbeat_ms,
                           bool auth_required = false);
// Answers a valid auth message: the token's room patterns (omitted when it covers every room)
// and, for a JWT, when it stops being accepted (ms since the epoch).
std::string authenticated_json(std::string_view id, const std::vector<std::string>* rooms,
                               std::optional<std::int64_t> expires_at_ms);
// type is "subscribed" or "unsubscribed"; id is omitted when empty.
std::string room_ack_json(std::string_view type, std::string_view id, std::string_view room);
std::string error_json(client_error code, std::string_view message, std::string_view id);
std::string pong_json(std::string_view id);
// {"type":"sensor.status","payload":{"sensorId","status":"online"|"offline","since"}}
std::string status_json(std::string_view sensor_id, std::string_view status, std::int64_t since);
// {"type":"sensor.removed","payload":{"sensorId":...}}: the sensor was forgotten.
std::string removed_json(std::string_view sensor_id);
// {"type":"sensor.meta","payload":{"sensorId","name"?,"deviceClass"?,"device"?}}: what
// discovery says about the sensor changed (meta null: its config was removed, nothing known).
std::string meta_json(std::string_view sensor_id, const sensor_meta* meta);

}  // namespace sb
