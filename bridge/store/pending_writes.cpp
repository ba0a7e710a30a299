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

pending_writes::put_result pending_writes::put(reading r, bool with_history) {
    return put(std::move(r), with_history, {}, frame_fields{}, false);
}

pending_writes::put_result pending_writes::put(reading r, bool with_history, std::string_view frame,
                                               const frame_fields& fields) {
    return put(std::move(r), with_history, frame, fields, true);
}

pending_writes::put_result pending_writes::put(reading r, bool with_history, std::string_view frame,
                                               const frame_fields& fields, bool from_frame) {
    put_result result;
    auto it = batch_.sensors.find(r.sensor_id);
    if (it == batch_.sensors.end()) {
        if (batch_.latest_rows >= max_latest_) {
            result.latest = latest_result::full;
            result.history_dropped = with_history ? 1 : 0;
            return result;
        }
        std::string key = r.sensor_id;
        it = batch_.sensors.try_emplace(std::move(key)).first;
    }
    pending_sensor& s = it->second;
    if (with_history) result.history_dropped = put_history(s.history, r, frame, from_frame ? &fields : nullptr);
    if (s.latest) {
        result.latest = latest_result::replaced;
        *s.latest = std::move(r);
    } else if (batch_.latest_rows >= max_latest_) {
        result.latest = latest_result::full;  // only its history waits (requeued after a failure)
    } else {
        s.latest = std::move(r);
        ++batch_.latest_rows;
    }
    return result;
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

std::size_t pending_writes::put_history(sensor_history& h, const reading& r, std::string_view frame,
                                        const frame_fields* fields) {
    if (max_history_ == 0) return 1;
    std::size_t dropped = 0;
    if (batch_.history_points >= max_history_) {
        if (h.chunks.size() < 2) return 1;  // nothing older of this sensor to give up
        dropped += drop_front(h);
    }
    if (h.chunks.empty() || h.chunks.back().finished() || h.chunks.back().points() >= chunk_points_) {
        h.chunks.emplace_back();
    }
    if (fields) {
        h.chunks.back().add(r, frame, *fields);
    } else {
        h.chunks.back().add(r);
    }
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
    std::size_t dropped = 0;
    for (auto& [id, old] : unwritten.sensors) {
        auto [it, added] = batch_.sensors.try_emplace(id);
        pending_sensor& s = it->second;
        if (old.latest && !s.latest && batch_.latest_rows < max_latest_) {
            s.latest = std::move(old.latest);
            ++batch_.latest_rows;
        }
        sensor_history& h = s.history;
        h.chunks.insert(h.chunks.begin(), std::make_move_iterator(old.history.chunks.begin()),
                        std::make_move_iterator(old.history.chunks.end()));
        h.points += old.history.points;
        batch_.history_points += old.history.points;
        dropped += trim_to_depth(h);
        if (added && !s.latest && h.chunks.empty()) batch_.sensors.erase(it);
    }
    // Over the overall bound: older chunks go first, keeping each sensor's newest one while that
    // is enough, then whole sensors' waiting history.
    for (const bool keep_newest : {true, false}) {
        for (auto& [id, s] : batch_.sensors) {
            if (batch_.history_points <= max_history_) break;
            while (batch_.history_points > max_history_ && s.history.chunks.size() > (keep_newest ? 1u : 0u))
                dropped += drop_front(s.history);
        }
    }
    return dropped;
}

}  // namespace sb
