#include "http/series_source.hpp"

#include <algorithm>
#include <limits>

#include "persist/tier_table.hpp"

namespace sb {
namespace {

using namespace tier_table;

std::int64_t requested_width(const series_query& q) {
    const std::uint64_t span = static_cast<std::uint64_t>(q.to) - static_cast<std::uint64_t>(q.from);
    const std::uint64_t n = std::max<std::size_t>(q.max_points, 1);
    return static_cast<std::int64_t>(std::max<std::uint64_t>(span / n + (span % n != 0 ? 1 : 0), 1));
}

std::int64_t tier_width(int tier) { return tier == hour_tier ? hour_ms : minute_ms; }

// The narrowest multiple of the tier's width at least `wanted` whose buckets, aligned to it,
// cover [from, to] in at most max_points.
std::int64_t aligned_width(std::int64_t wanted, std::int64_t unit, const series_query& q) {
    std::int64_t w = std::max<std::int64_t>(unit, (wanted + unit - 1) / unit * unit);
    const auto count = [&](std::int64_t width) {
        return static_cast<std::uint64_t>((bucket_start(q.to, width) - bucket_start(q.from, width)) / width) + 1;
    };
    while (count(w) > std::max<std::size_t>(q.max_points, 1)) w += std::max<std::int64_t>(unit, w / unit / 8 * unit);
    return w;
}

series_bucket to_bucket(const agg_entry& e) {
    series_bucket b;
    b.t = e.t;
    b.min = e.min;
    b.max = e.max;
    b.mean = e.mean();
    b.last = e.last;
    b.count = e.count;
    return b;
}

std::vector<series_point> to_series_points(std::vector<chunk_point> points) {
    std::vector<series_point> out;
    out.reserve(points.size());
    for (chunk_point& p : points) out.push_back({p.t, std::move(p.v)});
    return out;
}

}  // namespace

series_memory memory_of(const sensor_registry::entry& e) {
    series_memory m;
    m.sensor_id = e.latest.sensor_id;
    m.points.reserve(e.history.size());
    m.held_from = e.latest.timestamp;
    for (std::size_t i = 0; i < e.history.size(); ++i) {
        const auto& p = e.history[i];
        m.points.push_back({p.timestamp, e.history.value(p)});
        m.held_from = std::min(m.held_from, p.timestamp);
    }
    return m;
}

series memory_series(const series_memory& m, const series_query& q) {
    series s = make_series(m.points, q.from, q.to, q.max_points);
    s.held_from = m.held_from;
    return s;
}

namespace {

// Memory's points in the range that the raw rows do not hold (matched by time and value against
// the rows of their span): those still waiting for the writer (a flush interval, or a failing
// disk's backlog), and those whose raw hours have gone past --raw-retention. `fresh` keeps only
// the first kind: points older than the sensor's oldest raw hour are in the aggregates already.
bool memory_only(tier_reader& r, const series_memory& m, const series_query& q, std::int64_t raw_oldest,
                 bool disk_empty, std::vector<chunk_point>& extra, std::vector<chunk_point>& fresh) {
    std::vector<chunk_point> candidates;
    for (const series_point& p : m.points) {
        if (p.t >= q.from && p.t <= q.to) candidates.push_back({p.t, p.v});
    }
    if (candidates.empty()) return true;
    std::int64_t lo = candidates.front().t, hi = lo;
    for (const chunk_point& p : candidates) {
        lo = std::min(lo, p.t);
        hi = std::max(hi, p.t);
    }
    std::vector<chunk_point> disk;
    if (!disk_empty && !r.raw(m.sensor_id, lo, hi, disk)) return false;
    std::vector<bool> used(disk.size(), false);
    for (chunk_point& p : candidates) {
        // disk is sorted by t: the first unused equal point stands for this one.
        auto it = std::lower_bound(disk.begin(), disk.end(), p.t, [](const chunk_point& d, std::int64_t t) { return d.t < t; });
        bool found = false;
        for (; it != disk.end() && it->t == p.t; ++it) {
            const auto i = static_cast<std::size_t>(it - disk.begin());
            if (!used[i] && it->v == p.v) {
                used[i] = true;
                found = true;
                break;
            }
        }
        if (found) continue;
        if (disk_empty || (raw_oldest >= 0 && p.t >= raw_oldest)) fresh.push_back(p);
        extra.push_back(std::move(p));
    }
    return true;
}

}  // namespace

bool tiered_series(tier_reader& r, const series_memory& m, const series_query& q, series& out) {
    const std::int64_t wanted = requested_width(q);
    std::int64_t oldest[3];
    for (int t : {int(raw_tier), int(minute_tier), int(hour_tier)}) oldest[t] = r.oldest(m.sensor_id, t);
    const bool disk_empty = oldest[raw_tier] < 0 && oldest[minute_tier] < 0 && oldest[hour_tier] < 0;
    std::vector<chunk_point> extra, fresh;
    if (!memory_only(r, m, q, oldest[raw_tier], disk_empty, extra, fresh)) return false;

    // The finest tier the width allows, unless it does not reach back to `from` and a coarser one
    // reaches further; a tier with nothing reaches nowhere (raw: with memory's readings).
    std::int64_t memory_oldest = std::numeric_limits<std::int64_t>::max();
    for (const series_point& p : m.points) memory_oldest = std::min(memory_oldest, p.t);
    const auto reach = [&](int t) {
        std::int64_t o = oldest[t] >= 0 ? oldest[t] : std::numeric_limits<std::int64_t>::max();
        if (t == raw_tier) o = std::min(o, memory_oldest);
        return o;
    };
    int tier = wanted < minute_ms ? raw_tier : wanted < hour_ms ? minute_tier : hour_tier;
    for (int t = tier; t <= hour_tier; ++t) {
        if (reach(t) <= q.from) {
            tier = t;
            break;
        }
        if (reach(t) < reach(tier)) tier = t;
    }
    // Raw readings that fit are the answer at any width (a sensor heard every 5 minutes).
    std::vector<chunk_point> raw;
    if (tier != raw_tier && reach(raw_tier) <= q.from) {
        // The rows' counts bound the hours' points: decoded only when they may fit.
        const std::int64_t bound = r.raw_count_bound(m.sensor_id, q.from, q.to);
        if (bound < 0) return false;
        if (static_cast<std::uint64_t>(bound) + extra.size() <= q.max_points * 4) {
            if (!r.raw(m.sensor_id, q.from, q.to, raw)) return false;
            if (raw.size() + extra.size() <= q.max_points) tier = raw_tier;
        }
    } else if (tier == raw_tier) {
        if (!r.raw(m.sensor_id, q.from, q.to, raw)) return false;
    }
    if (tier == raw_tier) {
        raw.insert(raw.end(), extra.begin(), extra.end());
        out = make_series(to_series_points(std::move(raw)), q.from, q.to, q.max_points);
        out.held_from = std::min(m.held_from, reach(raw_tier));
        return true;
    }

    const std::int64_t unit = tier_width(tier);
    tier_slice slice;
    if (!r.aggregates(m.sensor_id, tier, q.from, q.to, slice)) return false;
    if (!fresh.empty()) {
        if (all_numbers(fresh)) {
            const std::vector<agg_entry> more = aggregate(std::move(fresh), unit);
            slice.entries.insert(slice.entries.end(), more.begin(), more.end());
            slice.entries = rebucket(slice.entries, unit);
        } else {
            slice.points.insert(slice.points.end(), fresh.begin(), fresh.end());
            slice.points = changes(std::move(slice.points));
        }
    }
    out = series{};
    out.tier = tier == minute_tier ? "1m" : "1h";
    out.held_from = std::min(m.held_from, reach(tier));
    if (slice.entries.empty()) {
        // A boolean or text sensor: its changes, the last of each bucket when too many.
        series s = make_series(to_series_points(std::move(slice.points)), q.from, q.to, q.max_points);
        s.tier = out.tier;
        s.held_from = out.held_from;
        out = std::move(s);
        return true;
    }
    out.bucket_ms = aligned_width(wanted, unit, q);
    const std::vector<agg_entry> buckets =
        out.bucket_ms == unit ? std::move(slice.entries) : rebucket(slice.entries, out.bucket_ms);
    out.buckets.reserve(buckets.size());
    for (const agg_entry& e : buckets) out.buckets.push_back(to_bucket(e));
    return true;
}

}  // namespace sb
