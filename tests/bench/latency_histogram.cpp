#include "latency_histogram.hpp"

#include <cinttypes>
#include <cstdio>

namespace sb::bench {

int latency_histogram::bucket_of(std::int64_t us) noexcept {
    if (us < linear_buckets) return us < 0 ? 0 : static_cast<int>(us);
    const auto v = static_cast<std::uint64_t>(us);
    const int msb = 63 - __builtin_clzll(v);  // >= 10
    const int octave = msb - 10;
    if (octave >= octaves) return bucket_count - 1;
    const int sub = static_cast<int>((v >> (msb - sub_bits)) & ((1u << sub_bits) - 1));
    return linear_buckets + octave * (1 << sub_bits) + sub;
}

std::int64_t latency_histogram::upper_bound_of(int bucket) noexcept {
    if (bucket < linear_buckets) return bucket;
    const int octave = (bucket - linear_buckets) >> sub_bits;
    const int sub = (bucket - linear_buckets) & ((1 << sub_bits) - 1);
    const int shift = octave + 10 - sub_bits;
    const std::int64_t lower = static_cast<std::int64_t>((1 << sub_bits) + sub) << shift;
    return lower + (std::int64_t{1} << shift) - 1;
}

void latency_histogram::record(std::int64_t us) noexcept {
    if (us < 0) us = 0;  // same host, same clock: only rounding can make it negative
    ++buckets_[static_cast<std::size_t>(bucket_of(us))];
    ++count_;
    if (us > max_) max_ = us;
    sum_ += static_cast<long double>(us);
}

void latency_histogram::merge(const latency_histogram& other) noexcept {
    for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
    count_ += other.count_;
    if (other.max_ > max_) max_ = other.max_;
    sum_ += other.sum_;
}

double latency_histogram::mean() const noexcept {
    return count_ == 0 ? 0.0 : static_cast<double>(sum_ / static_cast<long double>(count_));
}

std::int64_t latency_histogram::percentile(double q) const noexcept {
    if (count_ == 0) return 0;
    auto rank = static_cast<std::uint64_t>(q * static_cast<double>(count_) + 0.999999);
    if (rank < 1) rank = 1;
    if (rank > count_) rank = count_;
    std::uint64_t seen = 0;
    for (int b = 0; b < bucket_count; ++b) {
        seen += buckets_[static_cast<std::size_t>(b)];
        if (seen >= rank) {
            const std::int64_t upper = upper_bound_of(b);
            return upper < max_ ? upper : max_;
        }
    }
    return max_;
}

std::string latency_histogram::json_members() const {
    char head[256];
    std::snprintf(head, sizeof head,
                  "\"latency_us\":{\"p50\":%" PRId64 ",\"p90\":%" PRId64 ",\"p99\":%" PRId64 ",\"p999\":%" PRId64
                  ",\"max\":%" PRId64 ",\"mean\":%.1f},\"histogram\":[",
                  percentile(0.50), percentile(0.90), percentile(0.99), percentile(0.999), max_, mean());
    std::string out = head;
    bool first = true;
    for (int b = 0; b < bucket_count; ++b) {
        const std::uint64_t n = buckets_[static_cast<std::size_t>(b)];
        if (n == 0) continue;
        char item[64];
        std::snprintf(item, sizeof item, "%s[%" PRId64 ",%" PRIu64 "]", first ? "" : ",", upper_bound_of(b), n);
        out += item;
        first = false;
    }
    out += ']';
    return out;
}

}  // namespace sb::bench
