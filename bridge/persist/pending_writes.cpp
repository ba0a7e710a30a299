#include "persist/pending_writes.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace sb {

// Chunks of at most the depth (never more is written for a sensor) and small enough that
// dropping one under the overall bound loses a sixteenth of it at most.
pending_writes::pending_writes(std::size_t max_latest, std::size_t max_history, std::size_t history_depth,
                               std::size_t max_raw)
    : max_latest_(max_latest),
      max_history_(max_history),
      depth_(std::max<std::size_t>(history_depth, 1)),
      chunk_points_(std::clamp<std::size_t>(max_history / 16, 1, depth_)),
      max_raw_(max_raw) {}

pending_writes::put_result pending_writes::put(reading r, bool with_history) {
    return put(std::move(r), with_history, {}, reading_json_fields{}, false, nullptr);
}

pending_writes::put_result pending_writes::put(reading r, bool with_history, std::string_view frame,
                                               const reading_json_fields& fields, pending_hint* hint) {
    return put(std::move(r), with_history, frame, fields, true, hint);
}

// The sensor's record, made when new unless max_latest others wait already (then null).
pending_sensor* pending_writes::find_or_add(const std::string& sensor_id, pending_hint* hint) {
    if (hint && hint->generation == generation_) return hint->slot;
    auto it = batch_.sensors.find(sensor_id);
    if (it == batch_.sensors.end()) {
        if (batch_.latest_rows >= max_latest_) return nullptr;
        it = batch_.sensors.try_emplace(sensor_id).first;
    }
    if (hint) *hint = {&it->second, generation_};  // unordered_map nodes stay put until erased
    return &it->second;
}

pending_writes::put_result pending_writes::put(reading r, bool with_history, std::string_view frame,
                                               const reading_json_fields& fields, bool from_frame, pending_hint* hint) {
    put_result result;
    pending_sensor* found = find_or_add(r.sensor_id, hint);
    if (!found) {
        result.latest = latest_result::full;
        result.history_dropped = with_history ? 1 : 0;
        result.raw_dropped = max_raw_ > 0 ? 1 : 0;
        return result;
    }
    pending_sensor& s = *found;
    if (with_history) result.history_dropped = put_history(s.history, r, frame, from_frame ? &fields : nullptr);
    if (max_raw_ > 0) result.raw_dropped = put_raw(s, r);
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
                                        const reading_json_fields* fields) {
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

// The writer is failing (disk full): the sensor's oldest waiting point makes room, or, when it
// has none, the new one goes. A vector's front erase is rare here (only past the bound).
std::size_t pending_writes::put_raw(pending_sensor& s, const reading& r) {
    std::vector<chunk_point>& raw = s.raw;
    s.raw_last_seq = std::max(s.raw_last_seq, r.seq);
    std::size_t dropped = 0;
    if (batch_.raw_points >= max_raw_) {
        if (raw.empty()) return 1;
        raw.erase(raw.begin());
        --batch_.raw_points;
        dropped = 1;
    }
    raw.push_back(chunk_point{r.timestamp, r.value});
    ++batch_.raw_points;
    return dropped;
}

void pending_writes::forget(std::string_view sensor_id) {
    ++generation_;  // the sensor's record goes
    const auto it = batch_.sensors.find(std::string(sensor_id));
    if (it != batch_.sensors.end()) {
        batch_.latest_rows -= it->second.latest ? 1 : 0;
        batch_.history_points -= it->second.history.points;
        batch_.raw_points -= it->second.raw.size();
        batch_.sensors.erase(it);
    }
    batch_.forgotten.emplace_back(sensor_id);
}

write_batch pending_writes::take() {
    write_batch out;
    std::swap(out, batch_);
    ++generation_;  // the records now belong to the batch taken
    return out;
}

std::size_t pending_writes::requeue(write_batch unwritten, std::size_t* raw_dropped) {
    ++generation_;  // records may be erased below
    std::size_t dropped = 0, raw_lost = 0;
    const auto forgotten_since = [&](const std::string& id) {
        return std::find(batch_.forgotten.begin(), batch_.forgotten.end(), id) != batch_.forgotten.end();
    };
    for (auto& [id, old] : unwritten.sensors) {
        if (forgotten_since(id)) {
            dropped += old.history.points;
            raw_lost += old.raw.size();
            continue;
        }
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
        s.raw.insert(s.raw.begin(), std::make_move_iterator(old.raw.begin()), std::make_move_iterator(old.raw.end()));
        s.raw_last_seq = std::max(s.raw_last_seq, old.raw_last_seq);
        batch_.raw_points += old.raw.size();
        if (added && !s.latest && h.chunks.empty() && s.raw.empty()) batch_.sensors.erase(it);
    }
    // Deletions that did not happen come after any made since (the rows go either way), and
    // before the writes of the batch they are in.
    for (std::string& id : unwritten.forgotten) {
        if (!forgotten_since(id)) batch_.forgotten.push_back(std::move(id));
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
    // Tiered points over their bound: each sensor's oldest first, sensor by sensor.
    for (auto& [id, s] : batch_.sensors) {
        if (batch_.raw_points <= max_raw_) break;
        const std::size_t n = std::min(s.raw.size(), batch_.raw_points - max_raw_);
        s.raw.erase(s.raw.begin(), s.raw.begin() + static_cast<std::ptrdiff_t>(n));
        batch_.raw_points -= n;
        raw_lost += n;
    }
    if (raw_dropped) *raw_dropped = raw_lost;
    return dropped;
}

}  // namespace sb
