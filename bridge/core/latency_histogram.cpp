#include "core/latency_histogram.hpp"

namespace sb {

latency_histogram::latency_histogram(std::initializer_list<double> upper_bounds_seconds) noexcept {
    for (double b : upper_bounds_seconds) {
        if (bound_count_ == max_bounds) break;
        bounds_ns_[bound_count_++] = static_cast<std::int64_t>(b * 1e9 + 0.5);
    }
}

void latency_histogram::observe(std::chrono::nanoseconds d) noexcept {
    const std::int64_t ns = d.count() < 0 ? 0 : d.count();
    // Few bounds: a linear scan is as fast as a search and stays branch-predictable.
    std::size_t i = 0;
    while (i < bound_count_ && ns > bounds_ns_[i]) ++i;
    buckets_[i].fetch_add(1, std::memory_order_relaxed);
    sum_ns_.fetch_add(static_cast<std::uint64_t>(ns), std::memory_order_relaxed);
}

histogram_snapshot latency_histogram::snapshot() const {
    histogram_snapshot s;
    s.upper_bounds.reserve(bound_count_);
    s.cumulative.reserve(bound_count_ + 1);
    std::uint64_t running = 0;
    for (std::size_t i = 0; i <= bound_count_; ++i) {
        running += buckets_[i].load(std::memory_order_relaxed);
        s.cumulative.push_back(running);
        if (i < bound_count_) s.upper_bounds.push_back(static_cast<double>(bounds_ns_[i]) / 1e9);
    }
    s.count = running;
    s.sum_ns = sum_ns_.load(std::memory_order_relaxed);
    return s;
}

}  // namespace sb
