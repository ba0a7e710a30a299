#include "store/pending_writes.hpp"

#include <algorithm>
#include <iterator>
#include <utility>

namespace sb {

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

std::size_t pending_writes::put_history(const reading& r) {
    if (max_history_ == 0) return 1;
    std::size_t dropped = 0;
    if (batch_.history.size() >= max_history_) {
        dropped = std::max<std::size_t>(1, max_history_ / 10);
        batch_.history.erase(batch_.history.begin(), batch_.history.begin() + static_cast<std::ptrdiff_t>(dropped));
    }
    reading row;
    row.sensor_id = r.sensor_id;
    row.value = r.value;
    row.unit = r.unit;
    row.timestamp = r.timestamp;
    row.received_at = r.received_at;
    row.seq = r.seq;
    batch_.history.push_back(std::move(row));
    return dropped;
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
    // The unwritten rows are older than anything put since: they go first.
    const std::size_t room = max_history_ - std::min(max_history_, batch_.history.size());
    const std::size_t kept = std::min(room, unwritten.history.size());
    const auto first_kept = unwritten.history.end() - static_cast<std::ptrdiff_t>(kept);
    batch_.history.insert(batch_.history.begin(), std::make_move_iterator(first_kept),
                          std::make_move_iterator(unwritten.history.end()));
    return unwritten.history.size() - kept;
}

}  // namespace sb
