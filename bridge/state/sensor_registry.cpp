#include "state/sensor_registry.hpp"

#include <algorithm>

namespace sb {

sensor_registry::entry* sensor_registry::lookup(std::string_view sensor_id) const {
    const auto it = index_.find(sensor_id);
    return it == index_.end() ? nullptr : it->second;
}

std::uint64_t sensor_registry::next_seq(std::string_view sensor_id) const {
    const entry* e = lookup(sensor_id);
    if (e == nullptr) return new_sensor_seq_;
    return std::max(e->latest.seq + 1, e->seq_floor);
}

void sensor_registry::advance_seqs(std::uint64_t by) {
    for (auto& [id, e] : map_) e.seq_floor = e.latest.seq + 1 + by;
    new_sensor_seq_ = 1 + by;
}

bool sensor_registry::admits(std::string_view sensor_id) const {
    return map_.size() < max_sensors_ || lookup(sensor_id) != nullptr;
}

sensor_registry::entry& sensor_registry::slot(std::string_view sensor_id) {
    if (entry* known = lookup(sensor_id)) return *known;
    const auto it = map_.emplace(std::string(sensor_id), entry{}).first;
    entry& e = it->second;
    e.key = it->first;
    e.seq_floor = new_sensor_seq_;  // what next_seq() gives a sensor it does not know
    index_.emplace(it->first, &e);
    return e;
}

void sensor_registry::update(reading r, out_message_ptr f) {
    entry& e = slot(r.sensor_id);  // before r is moved from: argument order is unspecified
    update(e, std::move(r), std::move(f));
}

void sensor_registry::update(entry& e, reading r, out_message_ptr f) {
    while (!e.history.empty() && e.history.back().seq >= r.seq) e.history.pop_back();
    e.history.push_back(r, history_depth_, history_text_bytes_);
    e.latest = std::move(r);
    e.message = std::move(f);
}

void sensor_registry::restore_history(const reading& r) {
    entry* e = lookup(r.sensor_id);
    if (e == nullptr || e->history.empty()) return;
    auto& history = e->history;
    if (r.seq >= history.back().seq) return;
    if (history.size() > 1 && r.seq <= history[history.size() - 2].seq) return;  // not oldest first
    // Rows come oldest first: each goes just before the latest, and the oldest fall off.
    history.insert_before_back(r, history_depth_, history_text_bytes_);
}

reading sensor_registry::to_reading(const entry& e, const history_point& p) {
    reading r;
    r.sensor_id = e.latest.sensor_id;
    r.value = e.history.value(p);
    r.unit = e.history.unit(p);
    r.timestamp = p.timestamp;
    r.received_at = p.received_at;
    r.seq = p.seq;
    r.topic = e.latest.topic;
    return r;
}

bool sensor_registry::remove(std::string_view id) {
    const std::string sensor_id(id);  // id may view the key erased below
    bool known = false;
    if (const auto it = map_.find(sensor_id); it != map_.end()) {
        index_.erase(std::string_view(it->first));
        map_.erase(it);
        known = true;
    }
    return status_.remove(sensor_id) || known;
}

const sensor_registry::entry* sensor_registry::find(std::string_view sensor_id) const {
    return lookup(sensor_id);
}

}  // namespace sb
