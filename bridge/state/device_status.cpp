#include "state/device_status.hpp"

#include <string>

#include "state/sensor_registry.hpp"

namespace sb {

std::vector<status_change> apply_device_status(sensor_registry& latest, std::string_view device_id, bool online,
                                               std::int64_t now) {
    std::vector<status_change> changes;
    status_tracker& tracker = latest.status();
    if (auto change = tracker.on_presence(device_id, online, now)) changes.push_back(std::move(*change));
    std::string prefix;
    prefix.reserve(device_id.size() + 1);
    prefix.append(device_id).push_back('.');
    latest.for_each_prefix(prefix, [&](const sensor_registry::entry& e) {
        if (auto change = tracker.on_presence(e.key, online, now)) changes.push_back(std::move(*change));
    });
    return changes;
}

}  // namespace sb
