#pragma once
// Which of a sensor's kept readings answer "everything after seq N" (a subscribe with
// `since`, GET .../history?since=N), and whether they are the whole story.
#include <cstddef>
#include <cstdint>

#include "state/sensor_registry.hpp"

namespace sb {

struct history_window {
    std::size_t first = 0;  // index in entry.history of the first point with seq > since
    std::size_t count = 0;  // points from there to the latest
    // The kept points do not continue right after since: some were dropped (history depth,
    // a store backlog) or since is ahead of the latest (a seq the bridge lost in a crash).
    bool gap = false;
};

history_window window_after(const sensor_registry::entry& e, std::uint64_t since);

}  // namespace sb
