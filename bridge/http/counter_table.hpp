#pragma once
// Every counter the bridge reports, once: where its value comes from, its key in GET /api/stats
// (schemas/rest-stats.schema.json; a test holds the two together) and its Prometheus name,
// type and help for GET /metrics. rest_router and metrics_text both walk this table; a new
// counter is one new row (and one schema property).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/stats.hpp"

namespace sb {

enum class stats_group { ingest, ws, store, mqtt };

struct counter_row {
    stats_group group;
    std::string_view json_key;  // the key under its group in /api/stats; "" when not there
    std::string_view metric;    // the Prometheus name; "" when not in /metrics
    std::string_view type;      // "counter" or "gauge"
    std::string_view help;
    std::uint64_t (*value)(const stats_snapshot&) = nullptr;
    // Set on a counter by reason: a JSON object of reasons, samples labelled reason="...".
    const std::map<std::string, std::uint64_t>& (*by_reason)(const stats_snapshot&) = nullptr;
};

// In /api/stats order within each group; /metrics follows the same order.
const std::vector<counter_row>& counter_table();

// "ingest", "ws", "store", "mqtt": the group's key in /api/stats.
std::string_view group_key(stats_group g) noexcept;

// The groups /api/stats has, in its order (mqtt's counters are only in /metrics).
inline constexpr stats_group rest_stats_groups[] = {stats_group::ingest, stats_group::ws, stats_group::store};

}  // namespace sb
