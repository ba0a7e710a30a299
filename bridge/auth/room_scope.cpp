#include "auth/room_scope.hpp"

namespace sb {

std::optional<room_scope> room_scope::parse(const std::vector<std::string>& patterns) {
    room_scope scope;
    scope.patterns_.emplace();
    for (const auto& p : patterns) {
        auto r = room::parse(p);
        if (!r) return std::nullopt;
        scope.patterns_->push_back(std::move(*r));
    }
    return scope;
}

bool room_scope::covers(const room& r) const {
    if (!patterns_) return true;
    for (const auto& p : *patterns_) {
        if (p.is_prefix() ? r.key().compare(0, p.key().size(), p.key()) == 0 : (!r.is_prefix() && r.key() == p.key())) {
            return true;
        }
    }
    return false;
}

bool room_scope::covers_sensor(std::string_view sensor_id) const {
    if (!patterns_) return true;
    for (const auto& p : *patterns_) {
        if (p.matches(sensor_id)) return true;
    }
    return false;
}

std::vector<std::string> room_scope::names() const {
    std::vector<std::string> out;
    if (patterns_) {
        for (const auto& p : *patterns_) out.push_back(p.name());
    }
    return out;
}

}  // namespace sb
