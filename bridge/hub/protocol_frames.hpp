#pragma once
// Server -> client control messages (DESIGN.md §6). Pure builders of JSON text.
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error_code.hpp"

namespace sb {

std::string connected_json(std::string_view version, std::uint32_t heartbeat_ms);
// type is "subscribed" or "unsubscribed"; id is omitted when empty.
std::string room_ack_json(std::string_view type, std::string_view id, std::string_view room);
std::string error_json(client_error code, std::string_view message, std::string_view id);
std::string pong_json(std::string_view id);
// {"type":"sensor.status","payload":{"sensorId","status":"online"|"offline","since"}}
std::string status_json(std::string_view sensor_id, std::string_view status, std::int64_t since);

}  // namespace sb
