#include "state/series.hpp"

#include <algorithm>
#include <limits>

#include "core/time_order.hpp"

namespace sb {
namespace {

bool all_numbers(const std::vector<series_point>& points) {
    return std::all_of(points.begin(), points.end(),
                       [](const series_point& p) { return std::holds_alternative<double>(p.v); });
}

// Width of each of at most max_points buckets covering [from, to]: the span over the count,
// rounded up (so 24 h in 4 buckets is 6 h each); `to` itself falls in the last bucket. Computed
// without overflow for any from <= to.
std::int64_t bucket_width(std::int64_t from, std::int64_t to, std::size_t max_points) {
    const std::uint64_t span = static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from);
    const std::uint64_t n = max_points;
    const std::uint64_t width = span / n + (span % n != 0 ? 1 : 0);
    return static_cast<std::int64_t>(std::max<std::uint64_t>(width, 1));
}

struct bucketing {
    std::int64_t from = 0, width = 1;
    std::uint64_t last = 0;  // index of the last bucket
    std::uint64_t of(std::int64_t t) const {
        const std::uint64_t i = (static_cast<std::uint64_t>(t) - static_cast<std::uint64_t>(from)) / static_cast<std::uint64_t>(width);
        return std::min(i, last);
    }
    std::int64_t start(std::uint64_t index) const {
        return static_cast<std::int64_t>(static_cast<std::uint64_t>(from) + index * static_cast<std::uint64_t>(width));
    }
};

void numeric_buckets(const std::vector<series_point>& points, const bucketing& b, series& out) {
    std::uint64_t current = std::numeric_limits<std::uint64_t>::max();
    double sum = 0;
    for (const series_point& p : points) {
        const double v = std::get<double>(p.v);
        const std::uint64_t index = b.of(p.t);
        if (index != current) {
            if (!out.buckets.empty()) out.buckets.back().mean = sum / static_cast<double>(out.buckets.back().count);
            current = index;
            sum = 0;
            out.buckets.push_back({b.start(index), v, v, 0, v, 0});
        }
        series_bucket& bucket = out.buckets.back();
        bucket.min = std::min(bucket.min, v);
        bucket.max = std::max(bucket.max, v);
        bucket.last = v;
        ++bucket.count;
        sum += v;
    }
    if (!out.buckets.empty()) out.buckets.back().mean = sum / static_cast<double>(out.buckets.back().count);
}

void last_per_bucket(std::vector<series_point>& points, const bucketing& b, series& out) {
    for (series_point& p : points) {
        const std::int64_t start = b.start(b.of(p.t));
        if (!out.points.empty() && out.points.back().t == start) {
            out.points.back().v = std::move(p.v);
        } else {
            out.points.push_back({start, std::move(p.v)});
        }
    }
}

}  // namespace

series make_series(std::vector<series_point> points, std::int64_t from, std::int64_t to, std::size_t max_points) {
    points.erase(std::remove_if(points.begin(), points.end(),
                                [&](const series_point& p) { return p.t < from || p.t > to; }),
                 points.end());
    sort_by_time(points);
    series out;
    if (points.size() <= max_points) {
        out.points = std::move(points);
        return out;
    }
    const std::size_t n = std::max<std::size_t>(max_points, 1);
    out.bucket_ms = bucket_width(from, to, n);
    const bucketing b{from, out.bucket_ms, n - 1};
    if (all_numbers(points)) {
        numeric_buckets(points, b, out);
    } else {
        last_per_bucket(points, b, out);
    }
    return out;
}

}  // namespace sb
