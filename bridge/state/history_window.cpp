#include "state/history_window.hpp"

#include <algorithm>
#include <iterator>

namespace sb {

history_window window_after(const sensor_registry::entry& e, std::uint64_t since) {
    const auto& h = e.history;
    const auto first = std::upper_bound(h.begin(), h.end(), since,
                                        [](std::uint64_t s, const sensor_registry::history_point& p) { return s < p.seq; });
    history_window w;
    w.first = static_cast<std::size_t>(std::distance(h.begin(), first));
    w.count = h.size() - w.first;
    if (w.count == 0) {
        w.gap = since != e.latest.seq;
    } else {
        // Seqs are strictly increasing: a run without holes spans exactly count seqs.
        const std::uint64_t span = h.back().seq - first->seq + 1;
        w.gap = first->seq != since + 1 || span != w.count;
    }
    return w;
}

}  // namespace sb
