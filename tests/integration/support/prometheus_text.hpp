#pragma once
// Reading samples out of a GET /metrics body (Prometheus text exposition format).
#include <cstdint>
#include <optional>
#include <string>

namespace sb_it {

// The value of the sample whose name and labels are exactly `series` (e.g.
// `sensor_bridge_ws_connections` or `x_bucket{le="+Inf"}`); nullopt when absent.
std::optional<double> sample_value(const std::string& metrics_text, const std::string& series);

// GET /metrics on port and the value of one series; nullopt when unreachable or absent.
std::optional<double> scrape(std::uint16_t port, const std::string& series);

}  // namespace sb_it
