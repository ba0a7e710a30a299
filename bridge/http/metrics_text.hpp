#pragma once
// GET /metrics: the bridge's counters in the Prometheus text exposition format (0.0.4). Pure.
#include <string>
#include <string_view>

#include "core/stats.hpp"

namespace sb {

std::string metrics_text(const stats_snapshot& stats, const health_snapshot& health, std::string_view version);

}  // namespace sb
