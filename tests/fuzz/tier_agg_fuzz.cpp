// libFuzzer target: the aggregate tiers of the time-tiered history (issue 18). Stored blocks are
// read back from a file anyone with access could have damaged: whatever the bytes, decode
// returns; what it accepts encodes again to a block that decodes to the very same entries (bit
// for bit). The input's second half, read as entries, round-trips too; read as points, it is
// aggregated into fine buckets that rebucket into exactly the coarse buckets of the same points.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "persist/tier_agg.hpp"

namespace {

std::uint64_t bits(double d) {
    std::uint64_t b = 0;
    std::memcpy(&b, &d, sizeof b);
    return b;
}

bool same_bits(const sb::agg_entry& a, const sb::agg_entry& b) {
    return a.t == b.t && a.t_first == b.t_first && a.t_last == b.t_last && a.count == b.count &&
           bits(a.min) == bits(b.min) && bits(a.max) == bits(b.max) && bits(a.sum) == bits(b.sum) &&
           bits(a.first) == bits(b.first) && bits(a.last) == bits(b.last);
}

bool same_bits(const std::vector<sb::agg_entry>& a, const std::vector<sb::agg_entry>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (!same_bits(a[i], b[i])) return false;
    }
    return true;
}

template <typename T>
T take(std::string_view& in) {
    T v{};
    std::memcpy(&v, in.data(), sizeof v);
    in.remove_prefix(sizeof v);
    return v;
}

// 72 raw bytes an entry: any times, counts and doubles, NaN and infinities included.
std::vector<sb::agg_entry> entries_from(std::string_view in) {
    std::vector<sb::agg_entry> out;
    while (in.size() >= 72) {
        sb::agg_entry e;
        e.t = take<std::int64_t>(in);
        e.t_first = take<std::int64_t>(in);
        e.t_last = take<std::int64_t>(in);
        e.count = take<std::uint64_t>(in);
        e.min = take<double>(in);
        e.max = take<double>(in);
        e.sum = take<double>(in);
        e.first = take<double>(in);
        e.last = take<double>(in);
        out.push_back(e);
    }
    return out;
}

// Points of a few kinds: 2 bytes of time (so buckets fill) around 0 or at either end of the
// int64 range (where bucket starts clamp), 1 of kind, then a double, a bool or a one-byte text.
// Two-decimal numbers are the common case, raw doubles the hard one.
std::vector<sb::chunk_point> points_from(std::string_view in, std::uint8_t where) {
    constexpr std::int64_t lo = std::numeric_limits<std::int64_t>::min();
    constexpr std::int64_t hi = std::numeric_limits<std::int64_t>::max();
    std::vector<sb::chunk_point> out;
    while (in.size() >= 4) {
        sb::chunk_point p;
        const std::int64_t u = static_cast<std::int64_t>(take<std::uint16_t>(in)) * 37;
        p.t = where % 3 == 0 ? u - 1200000 : where % 3 == 1 ? lo + u : hi - u;
        const auto kind = static_cast<std::uint8_t>(in[0]) % 4;
        in.remove_prefix(1);
        if (kind == 0 && in.size() >= 8) {
            p.v = take<double>(in);
        } else if (kind == 1 && in.size() >= 2) {
            p.v = static_cast<double>(take<std::int16_t>(in)) / 100;
        } else if (kind == 2) {
            p.v = (static_cast<std::uint8_t>(in[0]) & 1) != 0;
            in.remove_prefix(1);
        } else {
            p.v = std::string(1, in[0]);
            in.remove_prefix(1);
        }
        out.push_back(std::move(p));
    }
    return out;
}

void check_round_trip(const std::vector<sb::agg_entry>& entries) {
    std::vector<sb::agg_entry> back;
    FUZZ_CHECK(sb::agg_block::decode(sb::agg_block::encode(entries), back), "an encoding refused");
    FUZZ_CHECK(same_bits(back, entries), "entries do not survive encode and decode");
}

void check_tiers(const std::vector<sb::chunk_point>& points, std::int64_t fine, std::int64_t coarse) {
    const std::vector<sb::agg_entry> fine_entries = sb::aggregate(points, fine);
    const std::vector<sb::agg_entry> direct = sb::aggregate(points, coarse);
    const std::vector<sb::agg_entry> rebucketed = sb::rebucket(fine_entries, coarse);
    check_round_trip(fine_entries);
    std::uint64_t numbers = 0;
    bool nan = false;
    for (const sb::chunk_point& p : points) {
        if (const double* d = std::get_if<double>(&p.v)) {
            ++numbers;
            nan = nan || std::isnan(*d);
        }
    }
    std::uint64_t counted = 0;
    for (std::size_t i = 0; i < direct.size(); ++i) {
        counted += direct[i].count;
        FUZZ_CHECK(i == 0 || direct[i - 1].t < direct[i].t, "buckets out of order");
        FUZZ_CHECK(direct[i].t <= direct[i].t_first && direct[i].t_first <= direct[i].t_last, "a bucket's times");
    }
    FUZZ_CHECK(counted == numbers, "aggregate lost or made up points");
    FUZZ_CHECK(rebucketed.size() == direct.size(), "rebucket and aggregate disagree on buckets");
    for (std::size_t i = 0; i < direct.size(); ++i) {
        const sb::agg_entry& a = rebucketed[i];
        const sb::agg_entry& b = direct[i];
        FUZZ_CHECK(a.t == b.t && a.t_first == b.t_first && a.t_last == b.t_last && a.count == b.count,
                   "rebucket and aggregate disagree on times or counts");
        FUZZ_CHECK(bits(a.first) == bits(b.first) && bits(a.last) == bits(b.last),
                   "rebucket and aggregate disagree on first or last");
        // NaN makes min and max depend on the order they are compared in.
        FUZZ_CHECK(nan || (a.min == b.min && a.max == b.max), "rebucket and aggregate disagree on min or max");
    }
}

void check_changes(const std::vector<sb::chunk_point>& points) {
    const std::vector<sb::chunk_point> kept = sb::changes(points);
    FUZZ_CHECK(points.empty() == kept.empty() && kept.size() <= points.size(), "changes kept too much or little");
    for (std::size_t i = 1; i < kept.size(); ++i) {
        FUZZ_CHECK(kept[i - 1].t <= kept[i].t, "changes out of order");
        FUZZ_CHECK(!(sb::chunk_point{0, kept[i - 1].v} == sb::chunk_point{0, kept[i].v}), "a repeat kept");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    std::vector<sb::agg_entry> decoded;
    if (sb::agg_block::decode(input, decoded)) {
        FUZZ_CHECK(decoded.size() <= input.size(), "more entries than bytes");
        std::vector<sb::agg_entry> again;
        FUZZ_CHECK(sb::agg_block::decode(sb::agg_block::encode(decoded), again), "its own encoding refused");
        FUZZ_CHECK(same_bits(again, decoded), "a decoded block does not survive encode and decode");
    } else {
        FUZZ_CHECK(decoded.empty(), "a refused block left entries behind");
    }
    const std::string_view half = input.substr(input.size() / 2);
    check_round_trip(entries_from(half));
    if (half.size() >= 3) {
        // Nested widths (the coarse a multiple of the fine), as minutes are of hours.
        const std::int64_t fine = 1 + static_cast<std::uint8_t>(half[0]) % 200;
        const std::int64_t coarse = fine * (1 + static_cast<std::uint8_t>(half[1]) % 60);
        const std::vector<sb::chunk_point> points = points_from(half.substr(3), static_cast<std::uint8_t>(half[2]));
        check_tiers(points, fine, coarse);
        check_changes(points);
    }
    return 0;
}
