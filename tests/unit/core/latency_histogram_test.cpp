#include "core/latency_histogram.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace sb {
namespace {

using namespace std::chrono_literals;

TEST(latency_histogram, buckets_are_cumulative_and_upper_bounds_inclusive) {
    latency_histogram h{0.001, 0.01, 0.1};
    h.observe(500us);   // <= 1 ms
    h.observe(1ms);     // exactly on a bound: that bucket (le means "less or equal")
    h.observe(5ms);     // <= 10 ms
    h.observe(2s);      // over every bound: +Inf only
    h.observe(-3ms);    // a clock step backwards counts as zero
    const histogram_snapshot s = h.snapshot();
    ASSERT_EQ(s.upper_bounds, (std::vector<double>{0.001, 0.01, 0.1}));
    EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{3, 4, 4, 5}));
    EXPECT_EQ(s.count, 5u);
    EXPECT_EQ(s.sum_ns, 500'000u + 1'000'000u + 5'000'000u + 2'000'000'000u);
}

TEST(latency_histogram, empty_histogram_has_zero_everywhere) {
    latency_histogram h{0.5, 1};
    const histogram_snapshot s = h.snapshot();
    EXPECT_EQ(s.cumulative, (std::vector<std::uint64_t>{0, 0, 0}));
    EXPECT_EQ(s.count, 0u);
    EXPECT_EQ(s.sum_ns, 0u);
}

TEST(latency_histogram, more_bounds_than_fit_are_ignored) {
    latency_histogram h{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18};
    h.observe(17s);
    const histogram_snapshot s = h.snapshot();
    EXPECT_EQ(s.upper_bounds.size(), latency_histogram::max_bounds);
    EXPECT_EQ(s.cumulative.back(), 1u);
    EXPECT_EQ(s.cumulative[latency_histogram::max_bounds - 1], 0u);  // 17 s > 16 s: +Inf
}

// Observers on several threads, a reader on another: no observation is lost.
TEST(latency_histogram, concurrent_observers_lose_nothing) {
    latency_histogram h{0.001, 0.002};
    constexpr int threads = 4, per_thread = 20000;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&h, t] {
            for (int i = 0; i < per_thread; ++i) h.observe(std::chrono::microseconds(500 + 1000 * (t % 3)));
        });
    }
    std::uint64_t last = 0;
    for (int i = 0; i < 100; ++i) {
        const std::uint64_t now = h.snapshot().count;
        EXPECT_GE(now, last);  // counts only grow
        last = now;
    }
    for (auto& w : workers) w.join();
    const histogram_snapshot s = h.snapshot();
    EXPECT_EQ(s.count, std::uint64_t{threads} * per_thread);
    EXPECT_EQ(s.cumulative.back(), s.count);
}

}  // namespace
}  // namespace sb
