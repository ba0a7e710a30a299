#include "state/history_window.hpp"


namespace sb {

history_window window_after(const sensor_registry::entry& e, std::uint64_t since) {
    const auto& h = e.history;
    // The first point with seq > since (seqs increase): a binary search over the ring.
    std::size_t lo = 0, hi = h.size();
    while (lo < hi) {
        const std::size_t mid = lo + (hi - lo) / 2;
        if (h[mid].seq <= since) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    history_window w;
    w.first = lo;
    w.count = h.size() - w.first;
    if (w.count == 0) {
        w.gap = since != e.latest.seq;
    } else {
        // Seqs are strictly increasing: a run without holes spans exactly count seqs.
        const std::uint64_t first_seq = h[w.first].seq;
        const std::uint64_t span = h.back().seq - first_seq + 1;
        w.gap = first_seq != since + 1 || span != w.count;
    }
    return w;
}

}  // namespace sb
