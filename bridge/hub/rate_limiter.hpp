#pragma once
// maxRateHz for one client (issue 5): at most one reading per interval per sensor, latest
// wins, and the last value is always delivered (a held reading goes once its interval has
// passed, through flush_due). Logic only; time is passed in. One slot per sensor the client
// has received through a limited room: bounded by the sensors it subscribes to.
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>

#include "wire/out_message.hpp"

namespace sb {

class rate_limiter {
public:
    using clock = std::chrono::steady_clock;
    using sink = std::function<void(const std::string& sensor_id, const out_message_ptr& f)>;

    // True when f may be delivered now (it then counts as sent at now). Otherwise f becomes
    // the sensor's held reading, replacing an older held one, until flush_due sends it.
    bool admit(const std::string& sensor_id, const out_message_ptr& f, clock::duration interval, clock::time_point now);

    // Takes the sensor's held reading out (null when none), e.g. to send it ahead of a status.
    out_message_ptr take(const std::string& sensor_id, clock::time_point now);

    // Sends every held reading whose interval has passed, earliest first.
    void flush_due(clock::time_point now, const sink& out);

    // Drops the held readings of sensors for which keep() is false (after an unsubscribe).
    void drop_unless(const std::function<bool(const std::string&)>& keep);

    std::optional<clock::time_point> next_due() const;
    std::size_t held() const noexcept { return due_.size(); }

private:
    using due_map = std::multimap<clock::time_point, std::string>;
    struct slot {
        clock::time_point last_sent{};
        out_message_ptr held;
        due_map::iterator due;  // valid while held
    };

    std::unordered_map<std::string, slot> slots_;
    due_map due_;  // sensors with a held reading, by the time it may go
};

}  // namespace sb
