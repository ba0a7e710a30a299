#include "hub/room.hpp"

#include "core/sensor_id.hpp"

namespace sb {

namespace {
constexpr std::string_view room_scheme = "sensor:";
}

room::room(std::string name, std::string key, bool prefix)
    : name_(std::move(name)), key_(std::move(key)), prefix_(prefix) {}

std::optional<room> room::parse(std::string_view name) {
    if (name.substr(0, room_scheme.size()) != room_scheme) return std::nullopt;
    std::string_view rest = name.substr(room_scheme.size());
    if (!rest.empty() && rest.back() == '*') {
        std::string_view prefix = rest.substr(0, rest.size() - 1);
        if (!is_valid_sensor_id_prefix(prefix)) return std::nullopt;
        return room(std::string(name), std::string(prefix), true);
    }
    if (!is_valid_sensor_id(rest)) return std::nullopt;
    return room(std::string(name), std::string(rest), false);
}

bool room::matches(std::string_view sensor_id) const noexcept {
    if (prefix_) return sensor_id.substr(0, key_.size()) == key_;
    return sensor_id == key_;
}

}  // namespace sb
