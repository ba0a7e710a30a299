#include "normalize/control_topic.hpp"

#include <algorithm>

#include "normalize/ascii.hpp"

namespace sb {

namespace {

bool has_level(std::string_view topic, std::string_view level) noexcept {
    while (!topic.empty()) {
        const std::size_t slash = topic.find('/');
        if (topic.substr(0, slash) == level) return true;
        if (slash == std::string_view::npos) break;
        topic.remove_prefix(slash + 1);
    }
    return false;
}

}  // namespace

std::optional<std::string_view> control_topic_reason(std::string_view topic) noexcept {
    if (detail::first_topic_level(topic) != "shellies") return std::nullopt;
    const std::string_view last = detail::last_topic_level(topic);
    if (last == "announce") return "Shelly announce topic: device metadata, not a reading";
    if (last == "info") return "Shelly info topic: the device's status document, not a reading";
    if (last == "set" || has_level(topic, "command")) {
        return "Shelly command topic: a request to a device, not a reading";
    }
    return std::nullopt;
}

bool ignored_topic(std::string_view topic) noexcept {
    if (topic == "homeassistant/status") return true;  // Home Assistant's own birth and will
    if (detail::first_topic_level(topic) != "zigbee2mqtt") return false;
    const std::string_view below = topic.substr(std::min(topic.size(), std::string_view("zigbee2mqtt/").size()));
    if (detail::first_topic_level(below) == "bridge") return true;
    return has_level(below, "set") || has_level(below, "get");
}

}  // namespace sb
