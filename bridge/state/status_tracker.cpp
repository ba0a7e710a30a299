#include "state/status_tracker.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace sb {

std::string_view to_string(sensor_status s) noexcept {
    switch (s) {
        case sensor_status::online: return "online";
        case sensor_status::stale: return "stale";
        case sensor_status::offline: return "offline";
    }
    return "online";
}

status_tracker::state* status_tracker::find_or_add(std::string_view sensor_id, std::int64_t now, bool& added) {
    added = false;
    if (state* known = find_mutable(sensor_id)) return known;
    if (states_.size() >= opts_.max_sensors) return nullptr;
    added = true;
    state fresh;
    fresh.since = now;
    const auto it = states_.emplace(std::string(sensor_id), fresh).first;
    index_.emplace(it->first, &it->second);
    return &it->second;
}

status_tracker::state* status_tracker::find_mutable(std::string_view sensor_id) const {
    const auto it = index_.find(sensor_id);
    return it == index_.end() ? nullptr : it->second;
}

// Records the gap since the previous reading and takes the median of the kept gaps.
void status_tracker::learn_gap(state& s, std::int64_t at) {
    if (s.last_reading > 0 && at > s.last_reading) {
        constexpr std::int64_t max_gap = std::numeric_limits<std::uint32_t>::max();
        s.gaps[s.gap_next] = static_cast<std::uint32_t>(std::min(at - s.last_reading, max_gap));
        s.gap_next = static_cast<std::uint8_t>((s.gap_next + 1) % gap_samples);
        if (s.gap_count < gap_samples) ++s.gap_count;
        std::array<std::uint32_t, gap_samples> sorted = s.gaps;
        const auto mid = sorted.begin() + s.gap_count / 2;
        std::nth_element(sorted.begin(), mid, sorted.begin() + s.gap_count);
        s.interval_ms = *mid;
    }
    s.last_reading = std::max(s.last_reading, at);
    s.last_seen = std::max(s.last_seen, at);
}

std::optional<status_change> status_tracker::on_reading(std::string_view sensor_id, std::int64_t now) {
    state* cached = nullptr;
    return on_reading(sensor_id, cached, now);
}

std::optional<status_change> status_tracker::on_reading(std::string_view sensor_id, state*& cached,
                                                        std::int64_t now) {
    bool added = false;
    if (cached == nullptr) cached = find_or_add(sensor_id, now, added);
    state* s = cached;
    if (!s) return std::nullopt;
    s->has_value = true;
    learn_gap(*s, now);
    if (s->status == sensor_status::online) return std::nullopt;
    s->status = sensor_status::online;
    s->since = now;
    return status_change{std::string(sensor_id), s->status, now};
}

std::optional<status_change> status_tracker::on_retained(std::string_view sensor_id, state*& cached,
                                                         std::int64_t now, std::int64_t heard_at) {
    bool added = false;
    if (cached == nullptr) cached = find_or_add(sensor_id, now, added);
    state* s = cached;
    if (!s) return std::nullopt;
    s->has_value = true;
    s->last_seen = std::max(s->last_seen, std::min(heard_at, now));
    if (s->status == sensor_status::offline) return std::nullopt;
    const sensor_status now_status = now - s->last_seen > threshold_ms(*s) ? sensor_status::stale : sensor_status::online;
    if (now_status == s->status) return std::nullopt;
    s->status = now_status;
    s->since = now;
    return status_change{std::string(sensor_id), s->status, now};
}

std::optional<status_change> status_tracker::on_presence(std::string_view sensor_id, bool online, std::int64_t now) {
    bool added = false;
    state* s = find_or_add(sensor_id, now, added);
    if (!s) return std::nullopt;
    const sensor_status before = s->status;
    if (!online) {
        s->status = sensor_status::offline;
    } else if (before == sensor_status::offline) {
        s->status = sensor_status::online;
        s->last_seen = now;  // a full threshold from now before it can turn stale
    }
    if (added) s->last_seen = now;
    if (!added && s->status == before) return std::nullopt;
    if (s->status != before) s->since = now;
    return status_change{std::string(sensor_id), s->status, s->since};
}

void status_tracker::restore(std::string_view sensor_id, std::int64_t received_at) {
    bool added = false;
    state* s = find_or_add(sensor_id, received_at, added);
    if (!s) return;
    s->has_value = true;
    learn_gap(*s, received_at);
    s->since = std::min(s->since, received_at);
}

std::int64_t status_tracker::threshold_ms(const state& s) const noexcept {
    if (s.expire_ms != 0) return s.expire_ms;
    if (s.interval_ms == 0) return opts_.stale_min_ms;
    const double learned = std::ceil(opts_.stale_factor * static_cast<double>(s.interval_ms));
    return std::max(opts_.stale_min_ms, static_cast<std::int64_t>(learned));
}

void status_tracker::scan(std::int64_t now, std::vector<status_change>& changes) {
    for (auto& [id, s] : states_) {
        // Known only by a status topic (a device's availability, its readings under other
        // ids): no reading to miss, so never stale; its status topic says offline.
        if (s.status != sensor_status::online || s.last_seen == 0 || !s.has_value) continue;
        if (now - s.last_seen <= threshold_ms(s)) continue;
        s.status = sensor_status::stale;
        s.since = now;
        changes.push_back(status_change{id, s.status, now});
    }
}

bool status_tracker::remove(std::string_view sensor_id) {
    const auto it = states_.find(sensor_id);
    if (it == states_.end()) return false;
    index_.erase(std::string_view(it->first));
    states_.erase(it);
    return true;
}

const status_tracker::state* status_tracker::find(std::string_view sensor_id) const {
    return find_mutable(sensor_id);
}

}  // namespace sb
