#pragma once
// The answers of GET /api/sensors/{id}/series and GET /api/series (docs/PROTOCOL.md §6,
// "Series"): a sensor's kept readings over the query's range as a chart-sized series, in JSON
// (schemas/rest-series.schema.json) or CSV with a header row. Pure.
#include "http/http_types.hpp"
#include "http/series_query.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class room_scope;

// At most this many sensors in one GET /api/series answer (each up to maxPoints points).
inline constexpr std::size_t max_series_sensors = 1000;

http_reply sensor_series_reply(const sensor_registry::entry& e, const series_query& q);

// Every sensor whose id starts with q.prefix that the scope covers (null: all); a 400 past
// max_series_sensors.
http_reply prefix_series_reply(const sensor_registry& latest, const room_scope* scope, const series_query& q);

}  // namespace sb
