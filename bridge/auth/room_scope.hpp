#pragma once
// The rooms a token may use: every room, or a list of room patterns in the room syntax
// (sensor:<id>, sensor:*, sensor:<prefix>*). A subscription is allowed when one pattern
// covers the whole room: sensor:kitchen.* covers sensor:kitchen.temp and sensor:kitchen.t*,
// not sensor:* ; an exact pattern covers only itself.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hub/room.hpp"

namespace sb {

class room_scope {
public:
    static room_scope everything() { return room_scope{}; }
    // nullopt when one of the patterns is not a valid room.
    static std::optional<room_scope> parse(const std::vector<std::string>& patterns);

    bool unrestricted() const noexcept { return !patterns_.has_value(); }
    bool covers(const room& r) const;
    bool covers_sensor(std::string_view sensor_id) const;
    // The pattern names, for the `authenticated` reply; empty when unrestricted.
    std::vector<std::string> names() const;

private:
    std::optional<std::vector<room>> patterns_;  // nullopt: every room
};

}  // namespace sb
