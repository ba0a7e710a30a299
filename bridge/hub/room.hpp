#pragma once
// A room name (docs/PROTOCOL.md §2): "sensor:<id>", "sensor:*" or "sensor:<prefix>*".
#include <optional>
#include <string>
#include <string_view>

namespace sb {

class room {
public:
    // nullopt unless the name is a valid room.
    static std::optional<room> parse(std::string_view name);

    bool is_prefix() const noexcept { return prefix_; }
    // The sensor id (exact rooms) or the id prefix (prefix rooms, "" for sensor:*).
    const std::string& key() const noexcept { return key_; }
    const std::string& name() const noexcept { return name_; }
    bool matches(std::string_view sensor_id) const noexcept;

    friend bool operator==(const room& a, const room& b) { return a.name_ == b.name_; }

private:
    room(std::string name, std::string key, bool prefix);
    std::string name_;
    std::string key_;
    bool prefix_;
};

}  // namespace sb
