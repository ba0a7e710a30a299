#pragma once
// A fixed-bucket latency histogram for the Prometheus exposition: observe() is lock-free
// (relaxed atomics, no allocation) and may run on any thread while another takes snapshot().
#include <array>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <vector>

namespace sb {

// What a scrape reads: plain values, buckets already cumulative as Prometheus wants them.
struct histogram_snapshot {
    std::vector<double> upper_bounds;       // seconds, ascending; the +Inf bucket is implied
    std::vector<std::uint64_t> cumulative;  // one per bound, then +Inf (== count)
    std::uint64_t sum_ns = 0;               // sum of the observations, nanoseconds
    std::uint64_t count = 0;
};

class latency_histogram {
public:
    static constexpr std::size_t max_bounds = 16;

    // Upper bounds in seconds, ascending; at most max_bounds (the rest are ignored).
    explicit latency_histogram(std::initializer_list<double> upper_bounds_seconds) noexcept;
    latency_histogram(const latency_histogram&) = delete;
    latency_histogram& operator=(const latency_histogram&) = delete;

    // One observation; a negative duration counts as zero.
    void observe(std::chrono::nanoseconds d) noexcept;

    // A consistent-enough view: each bucket is read once, count is their total, so the +Inf
    // bucket always equals count; the sum may include an observation a bucket does not yet.
    histogram_snapshot snapshot() const;

private:
    std::array<std::int64_t, max_bounds> bounds_ns_{};
    std::size_t bound_count_ = 0;
    std::array<std::atomic<std::uint64_t>, max_bounds + 1> buckets_{};  // not cumulative; last: +Inf
    std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace sb
