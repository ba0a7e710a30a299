#include "config/ping_interval.hpp"

#include <cmath>

namespace sb {

std::optional<std::string> settle_ping_interval(bool ping_interval_given, bool heartbeat_ms_given, options& o) {
    if (ping_interval_given && heartbeat_ms_given) {
        // Two sources for one value: refuse rather than guess which one the operator meant.
        return std::string("--ping-interval and --heartbeat-ms (its old name, in ms) set the same value: give one");
    }
    if (heartbeat_ms_given) {
        o.ping_interval = static_cast<double>(o.heartbeat_ms) / 1000.0;
    } else {
        o.heartbeat_ms = static_cast<std::uint32_t>(std::llround(o.ping_interval * 1000.0));
    }
    return std::nullopt;
}

}  // namespace sb
