#pragma once
// Latency samples in a fixed log-linear histogram (HdrHistogram-like): 1 µs buckets up to
// 1024 µs, then 128 buckets per power of two (under 0.8 % relative width) up to 2^26 µs
// (67 s); longer samples land in the last bucket. Fixed size, so recording never allocates.
#include <array>
#include <cstdint>
#include <string>

namespace sb::bench {

class latency_histogram {
public:
    static constexpr int linear_buckets = 1024;
    static constexpr int sub_bits = 7;  // 128 buckets per octave
    static constexpr int octaves = 16;  // 2^10 .. 2^26 µs
    static constexpr int bucket_count = linear_buckets + octaves * (1 << sub_bits);

    void record(std::int64_t us) noexcept;
    void merge(const latency_histogram& other) noexcept;

    std::uint64_t count() const noexcept { return count_; }
    std::int64_t max() const noexcept { return max_; }
    double mean() const noexcept;
    // The smallest bucket upper bound that covers fraction q of the samples (capped at max).
    std::int64_t percentile(double q) const noexcept;

    // "latency_us":{...},"histogram":[[upper_us,count],...] (two members, no braces around).
    std::string json_members() const;

    static int bucket_of(std::int64_t us) noexcept;
    static std::int64_t upper_bound_of(int bucket) noexcept;

private:
    std::array<std::uint64_t, bucket_count> buckets_{};
    std::uint64_t count_ = 0;
    std::int64_t max_ = 0;
    long double sum_ = 0;
};

}  // namespace sb::bench
