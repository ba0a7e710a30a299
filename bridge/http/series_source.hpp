#pragma once
// Where a series answer comes from (docs/PROTOCOL.md §6, "Series"): a sensor's readings the
// bridge holds in memory (its --history-depth newest), and the time-tiered history on disk.
// The tier is chosen from the range: raw readings when they fit in maxPoints or the buckets
// asked for are narrower than a minute, else minute aggregates when the buckets are narrower
// than an hour, else hour aggregates; a tier that does not reach back to `from` gives way to a
// coarser one that does. Buckets of an aggregate tier are whole multiples of its width, never
// mixed with another tier's. Runs on the history reader's thread.
#include <cstdint>
#include <string>
#include <vector>

#include "http/series_query.hpp"
#include "persist/tier_reader.hpp"
#include "state/sensor_registry.hpp"
#include "state/series.hpp"

namespace sb {

// A sensor's in-memory readings, copied on the network thread for the reader thread.
struct series_memory {
    std::string sensor_id;
    std::vector<series_point> points;
    std::int64_t held_from = 0;  // the oldest timestamp among them and the latest reading's
};

series_memory memory_of(const sensor_registry::entry& e);

// From memory alone (no tiered history).
series memory_series(const series_memory& m, const series_query& q);

// From the tiers, and those of memory's readings the disk does not hold yet (waiting for the
// writer). False on a database error.
bool tiered_series(tier_reader& r, const series_memory& m, const series_query& q, series& out);

}  // namespace sb
