#include "store/latest_cache.hpp"

#include <algorithm>

namespace sb {

std::uint64_t latest_cache::next_seq(std::string_view sensor_id) const {
    auto it = map_.find(sensor_id);
    if (it == map_.end()) return new_sensor_seq_;
    return std::max(it->second.latest.seq + 1, it->second.seq_floor);
}

void latest_cache::advance_seqs(std::uint64_t by) {
    for (auto& [id, e] : map_) e.seq_floor = e.latest.seq + 1 + by;
    new_sensor_seq_ = 1 + by;
}

bool latest_cache::admits(std::string_view sensor_id) const {
    return map_.size() < max_sensors_ || map_.find(sensor_id) != map_.end();
}

void latest_cache::update(reading r, frame_ptr f) {
    auto it = map_.find(r.sensor_id);
    if (it == map_.end()) {
        std::string key = r.sensor_id;
        it = map_.emplace(std::move(key), entry{}).first;
    }
    entry& e = it->second;
    while (!e.history.empty() && e.history.back().seq >= r.seq) e.history.pop_back();
    e.history.push_back(history_point{r.value, r.unit, r.timestamp, r.received_at, r.seq});
    while (e.history.size() > history_depth_) e.history.pop_front();
    e.latest = std::move(r);
    e.frame = std::move(f);
}

void latest_cache::restore_history(const reading& r) {
    auto it = map_.find(r.sensor_id);
    if (it == map_.end() || it->second.history.empty()) return;
    auto& history = it->second.history;
    if (r.seq >= history.back().seq) return;
    if (history.size() > 1 && r.seq <= history[history.size() - 2].seq) return;  // not oldest first
    // Rows come oldest first: each goes just before the latest, and the oldest fall off.
    history.insert(history.end() - 1, history_point{r.value, r.unit, r.timestamp, r.received_at, r.seq});
    while (history.size() > history_depth_) history.pop_front();
}

reading latest_cache::to_reading(const entry& e, const history_point& p) {
    reading r;
    r.sensor_id = e.latest.sensor_id;
    r.value = p.value;
    r.unit = p.unit;
    r.timestamp = p.timestamp;
    r.received_at = p.received_at;
    r.seq = p.seq;
    r.topic = e.latest.topic;
    return r;
}

const latest_cache::entry* latest_cache::find(std::string_view sensor_id) const {
    auto it = map_.find(sensor_id);
    return it == map_.end() ? nullptr : &it->second;
}

}  // namespace sb
