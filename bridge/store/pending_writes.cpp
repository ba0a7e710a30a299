#include "store/pending_writes.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace sb {

// Chunks of at most the depth (never more is written for a sensor) and small enough that
// dropping one under the overall bound loses a sixteenth of it at most.
pending_writes::pending_writes(std::size_t max_latest, std::size_t max_history, std::size_t history_depth)
    : max_latest_(max_latest),
      max_history_(max_history),
      depth_(std::max<std::size_t>(history_depth, 1)),
      chunk_points_(std::clamp<std::size_t>(max_history / 16, 1, depth_)) {}

pending_writes::latest_result pending_writes::put_latest(reading r) {
    auto it = batch_.latest.find(r.sensor_id);
    if (it != batch_.latest.end()) {
        it->second = std::move(r);
        return latest_result::replaced;
    }
    if (batch_.latest.size() >= max_latest_) return latest_result::full;
    std::string key = r.sensor_id;
    batch_.latest.emplace(std::move(key), std::move(r));
    return latest_result::added;
}

std::size_t pending_writes::drop_front(sensor_history& h) {
    const std::size_t n = h.chunks.front().points();
    h.chunks.erase(h.chunks.begin());  // rare, and there are few
    h.points -= n;
    batch_.history_points -= n;
    return n;
}

// Whole chunks with only points older than the newest depth_ go.
std::size_t pending_writes::trim_to_depth(sensor_history& h) {
    std::size_t dropped = 0;
    while (h.chunks.size() > 1 && h.points - h.chunks.front().points() >= depth_) dropped += drop_front(h);
    return dropped;
}

std::size_t pending_writes::put_history(const reading& r) {
    if (max_history_ == 0) return 1;
    sensor_history& h = batch_.history[r.sensor_id];
    std::size_t dropped = 0;
    if (batch_.history_points >= max_history_) {
        if (h.chunks.size() < 2) {
            if (h.chunks.empty()) batch_.history.erase(r.sensor_id);
            return 1;  // nothing older of this sensor to give up
        }
        dropped += drop_front(h);
    }
    if (h.chunks.empty() || h.chunks.back().finished() || h.chunks.back().points() >= chunk_points_) {
        h.chunks.emplace_back();
    }
    h.chunks.back().add(r);
    ++h.points;
    ++batch_.history_points;
    return dropped + trim_to_depth(h);
}

write_batch pending_writes::take() {
    write_batch out;
    std::swap(out, batch_);
    return out;
}

std::size_t pending_writes::requeue(write_batch unwritten) {
    for (auto& [id, r] : unwritten.latest) {
        if (batch_.latest.size() >= max_latest_) break;
        batch_.latest.try_emplace(id, std::move(r));
    }
    std::size_t dropped = 0;
    for (auto& [id, old] : unwritten.history) {
        sensor_history& h = batch_.history[id];
        h.chunks.insert(h.chunks.begin(), std::make_move_iterator(old.chunks.begin()),
                        std::make_move_iterator(old.chunks.end()));
        h.points += old.points;
        batch_.history_points += old.points;
        dropped += trim_to_depth(h);
    }
    // Over the overall bound: older chunks go first, keeping each sensor's newest one while that
    // is enough, then whole sensors' waiting history.
    for (const bool keep_newest : {true, false}) {
        for (auto it = batch_.history.begin(); batch_.history_points > max_history_ && it != batch_.history.end();) {
            while (batch_.history_points > max_history_ && it->second.chunks.size() > (keep_newest ? 1u : 0u))
                dropped += drop_front(it->second);
            it = it->second.chunks.empty() ? batch_.history.erase(it) : std::next(it);
        }
    }
    return dropped;
}

}  // namespace sb
