#pragma once
// The answers of GET /api/sensors/{id}/series and GET /api/series (docs/PROTOCOL.md §6,
// "Series"): a sensor's kept readings over the query's range as a chart-sized series, in JSON
// (schemas/rest-series.schema.json) or CSV with a header row. Pure.
#include <optional>
#include <vector>

#include "http/http_types.hpp"
#include "http/series_query.hpp"
#include "http/series_source.hpp"
#include "persist/tier_reader.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class room_scope;

// At most this many sensors in one GET /api/series answer (each up to maxPoints points).
inline constexpr std::size_t max_series_sensors = 1000;

// What a series answer needs, copied from the registry on the network thread.
struct series_request {
    series_query query;
    std::vector<series_memory> sensors;
    bool single = true;  // GET /api/sensors/{id}/series: one sensor, its members at the top
};

series_request sensor_series_request(const sensor_registry::entry& e, const series_query& q);
// Every sensor whose id starts with q.prefix that the scope covers (null: all); the 400 past
// max_series_sensors instead.
std::optional<http_reply> prefix_series_request(const sensor_registry& latest, const room_scope* scope,
                                                const series_query& q, series_request& req);

// From the readings in memory alone.
http_reply memory_series_reply(const series_request& req);
// From the tiered history and memory (series_source.hpp); on the history reader's thread.
http_reply tiered_series_reply(tier_reader& r, const series_request& req);

// JSON (schemas/rest-series.schema.json) or CSV with a header row.
http_reply format_series(const series_request& req, const std::vector<series>& all);

}  // namespace sb
