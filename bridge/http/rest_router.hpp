#pragma once
// REST API (docs/PROTOCOL.md §6): a function from request and bridge state to reply; the one
// change it makes (DELETE) goes through the callback it is given.
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "core/stats.hpp"
#include "http/http_types.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class history_reader;

// What the router may read. Built per request on the network thread.
struct rest_context {
    const sensor_registry& latest;
    const stats_snapshot& stats;
    const health_snapshot& health;
    const char* version = SENSOR_BRIDGE_VERSION;
    const room_scope* scope = nullptr;  // the token's rooms: other sensors are 403; null: every sensor
    // Forgets a sensor (ingest_pipeline::forget): false when unknown. Null: DELETE is 405.
    const std::function<bool(std::string_view)>* forget = nullptr;
    std::int64_t now_ms = 0;  // wall clock, for series ranges relative to now ("-24h")
    // The time-tiered history's reader: series answers are read from disk on its thread.
    // Null: from the readings in memory.
    history_reader* history = nullptr;
};

// The reply for /api/... targets; nullopt when the target is not an API route (the caller then
// tries static files). GET and HEAD are allowed on API routes, and DELETE on /api/sensors/{id}
// (405 otherwise).
std::optional<http_reply> route_rest(const http_request& req, const rest_context& ctx);

}  // namespace sb
