#pragma once
// What a receiver counts: readings published after its `ready` (latency samples), older ones
// (snapshots, replays, retained: `stale`), frames and errors, first and last receive time.
#include <cstdint>
#include <string>

#include "latency_histogram.hpp"

namespace sb::bench {

struct reading_tally {
    latency_histogram latency;
    std::uint64_t readings = 0;
    std::uint64_t stale = 0;
    std::uint64_t frames = 0;
    std::uint64_t errors = 0;
    std::int64_t first_recv_us = 0;
    std::int64_t last_recv_us = 0;

    // value_us: when the reading was published; now_us: when it was read; ready_us: the
    // tool's ready time (a reading published before it is not a latency sample).
    void count(std::int64_t value_us, std::int64_t now_us, std::int64_t ready_us) noexcept {
        if (value_us < ready_us) {
            ++stale;
            return;
        }
        ++readings;
        latency.record(now_us - value_us);
        if (first_recv_us == 0) first_recv_us = now_us;
        last_recv_us = now_us;
    }

    void merge(const reading_tally& other) noexcept;
    double seconds() const noexcept;
    // "readings":N,"stale":K,"frames":F,"errors":E,"seconds":S,"rate":R,"latency_us":{..},"histogram":[..]
    std::string json_members() const;
};

}  // namespace sb::bench
