#pragma once
// REST API (docs/PROTOCOL.md §6): a pure function from request and bridge state to reply.
#include <optional>

#include "core/stats.hpp"
#include "http/http_types.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

// What the router may read. Built per request on the network thread.
struct rest_context {
    const sensor_registry& latest;
    const stats_snapshot& stats;
    const health_snapshot& health;
    const char* version = SENSOR_BRIDGE_VERSION;
    const room_scope* scope = nullptr;  // the token's rooms: other sensors are 403; null: every sensor
};

// The reply for /api/... targets; nullopt when the target is not an API route (the caller then
// tries static files). Only GET and HEAD are allowed on API routes (405 otherwise).
std::optional<http_reply> route_rest(const http_request& req, const rest_context& ctx);

}  // namespace sb
