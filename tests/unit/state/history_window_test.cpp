// Which kept readings answer "after seq N", and when that is not the whole story (a gap).
#include "state/history_window.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace sb {
namespace {

// A cache entry whose history holds exactly these seqs (the last one is the latest).
sensor_registry::entry entry_with(const std::vector<std::uint64_t>& seqs) {
    sensor_registry::entry e;
    for (auto seq : seqs) {
        reading r;
        r.value = 1.0;
        r.seq = seq;
        e.history.push_back(r, seqs.size(), sensor_registry::default_history_text_bytes);
    }
    e.latest.sensor_id = "s";
    e.latest.seq = seqs.back();
    return e;
}

TEST(history_window, replay_or_gap_by_what_the_history_still_holds) {
    struct tc {
        const char* name;
        std::vector<std::uint64_t> kept;
        std::uint64_t since;
        std::size_t first, count;
        bool gap;
    };
    const std::vector<tc> cases = {
        {"since inside: the rest", {1, 2, 3, 4, 5}, 2, 2, 3, false},
        {"since 0 with seq 1 kept", {1, 2, 3}, 0, 0, 3, false},
        {"since just before the oldest kept", {8, 9, 10}, 7, 0, 3, false},
        {"since older than the oldest kept", {8, 9, 10}, 1, 0, 3, true},
        {"since 0 after seq 1 fell off", {8, 9, 10}, 0, 0, 3, true},
        {"up to date", {8, 9, 10}, 10, 3, 0, false},
        {"ahead of the latest (lost in a crash)", {8, 9, 10}, 12, 3, 0, true},
        {"a hole inside the kept run", {5, 6, 8, 9}, 5, 1, 3, true},
        {"a hole before since does not matter", {5, 7, 8, 9}, 7, 2, 2, false},
        {"largest since", {1, 2}, std::numeric_limits<std::uint64_t>::max(), 2, 0, true},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const history_window w = window_after(entry_with(c.kept), c.since);
        EXPECT_EQ(w.first, c.first);
        EXPECT_EQ(w.count, c.count);
        EXPECT_EQ(w.gap, c.gap);
    }
}

}  // namespace
}  // namespace sb
