#include "hub/rate_limiter.hpp"

namespace sb {

bool rate_limiter::admit(const std::string& sensor_id, const out_message_ptr& f, clock::duration interval,
                         clock::time_point now) {
    auto [it, fresh] = slots_.try_emplace(sensor_id);
    slot& s = it->second;
    if (fresh || now - s.last_sent >= interval) {
        // A held reading that was due is superseded by this newer one: latest wins.
        if (s.held) {
            due_.erase(s.due);
            s.held.reset();
        }
        s.last_sent = now;
        return true;
    }
    if (!s.held) s.due = due_.emplace(s.last_sent + interval, sensor_id);
    s.held = f;
    return false;
}

out_message_ptr rate_limiter::take(const std::string& sensor_id, clock::time_point now) {
    auto it = slots_.find(sensor_id);
    if (it == slots_.end() || !it->second.held) return nullptr;
    slot& s = it->second;
    due_.erase(s.due);
    s.last_sent = now;
    return std::move(s.held);
}

void rate_limiter::flush_due(clock::time_point now, const sink& out) {
    while (!due_.empty() && due_.begin()->first <= now) {
        const std::string sensor_id = due_.begin()->second;
        due_.erase(due_.begin());
        slot& s = slots_[sensor_id];
        out_message_ptr f = std::move(s.held);
        s.held.reset();
        s.last_sent = now;
        out(sensor_id, f);
    }
}

void rate_limiter::drop_unless(const std::function<bool(const std::string&)>& keep) {
    for (auto it = due_.begin(); it != due_.end();) {
        if (keep(it->second)) {
            ++it;
            continue;
        }
        slots_.erase(it->second);
        it = due_.erase(it);
    }
}

std::optional<rate_limiter::clock::time_point> rate_limiter::next_due() const {
    if (due_.empty()) return std::nullopt;
    return due_.begin()->first;
}

}  // namespace sb
