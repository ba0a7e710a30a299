#include "persist/tier_agg.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <utility>

#include "core/time_order.hpp"
#include "persist/byte_codec.hpp"
#include "persist/zstd_blob.hpp"

namespace sb {
namespace {

using namespace byte_codec;

// Every entry costs at least a byte in each of the 4 time and 5 value columns.
constexpr std::uint64_t min_entry_bytes = 9;

using value_field = double agg_entry::*;
constexpr value_field value_fields[] = {&agg_entry::min, &agg_entry::max, &agg_entry::first, &agg_entry::last,
                                        &agg_entry::sum};

// Two's complement wrapping, so deltas between any int64 values round-trip without UB.
std::int64_t wrap_sub(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) - static_cast<std::uint64_t>(b));
}

std::int64_t wrap_add(std::int64_t a, std::int64_t b) {
    return static_cast<std::int64_t>(static_cast<std::uint64_t>(a) + static_cast<std::uint64_t>(b));
}



// Neumaier's compensated sum: the minutes of an hour add up to what the hour's raw points do,
// and a sum of two-decimal values mostly stays the exact decimal the block stores compactly.
class exact_sum {
public:
    explicit exact_sum(double first) : sum_(first) {}
    void add(double x) {
        const double s = sum_ + x;
        compensation_ += std::fabs(sum_) >= std::fabs(x) ? (sum_ - s) + x : (x - s) + sum_;
        sum_ = s;
    }
    // Past an infinity or NaN the compensation means nothing (inf - inf).
    double value() const { return std::isfinite(sum_) ? sum_ + compensation_ : sum_; }

private:
    double sum_;
    double compensation_ = 0;
};

bool same_value(const reading_value& a, const reading_value& b) {
    if (a.index() != b.index()) return false;
    if (const double* d = std::get_if<double>(&a)) return bits_of(*d) == bits_of(std::get<double>(b));
    return a == b;
}


// The smallest scale at which the field of every entry is an exact decimal.
std::optional<int> decimal_scale(const std::vector<agg_entry>& entries, value_field f) {
    int k = 0;
    for (const agg_entry& e : entries) {
        while (k <= max_scale && !scaled(e.*f, k)) ++k;
        if (k > max_scale) return std::nullopt;
    }
    // The scale grew along the way: the earlier values must hold at the final one too.
    const bool all_exact =
        std::all_of(entries.begin(), entries.end(), [&](const agg_entry& e) { return scaled(e.*f, k).has_value(); });
    if (!all_exact) return std::nullopt;
    return k;
}

// The largest step all entries' t are apart (a minute for minute entries), so a step costs a
// byte; 1 when there is none or it does not fit an int64.
std::uint64_t time_unit(const std::vector<agg_entry>& entries) {
    std::uint64_t g = 0;
    for (std::size_t i = 1; i < entries.size(); ++i) {
        const std::int64_t d = wrap_sub(entries[i].t, entries[i - 1].t);
        const auto u = static_cast<std::uint64_t>(d);
        std::uint64_t a = g, b = d < 0 ? std::uint64_t{0} - u : u;  // |d|, also for INT64_MIN
        while (b != 0) a = std::exchange(b, a % b);
        g = a;
    }
    return g == 0 || g > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) ? 1 : g;
}

// Value column forms: decimal at scale 0..max_scale, then doubles, then patched decimal.
constexpr std::uint8_t doubles_form = max_scale + 1;
constexpr std::uint8_t patched_form = doubles_form + 1;  // + k: scale k with patches
constexpr std::uint8_t last_form = patched_form + max_scale;

void put_decimal(std::string& out, const std::vector<agg_entry>& entries, value_field f, int k) {
    out.push_back(static_cast<char>(k));
    std::int64_t previous = 0;
    for (const agg_entry& e : entries) {
        const std::int64_t n = *scaled(e.*f, k);
        put_varint(out, zigzag(n - previous));  // |n| < 2^53: no overflow
        previous = n;
    }
}

void put_doubles(std::string& out, const std::vector<agg_entry>& entries, value_field f) {
    out.push_back(static_cast<char>(doubles_form));
    std::uint64_t previous = 0;
    for (const agg_entry& e : entries) {
        const std::uint64_t b = bits_of(e.*f);
        put_varint(out, b ^ previous);  // neighbours share sign, exponent and top bits
        previous = b;
    }
}

// Decimal where a value is one, the nearest decimal and the bits that differ where it is not:
// a sum of two-decimal readings is now and then the double next to its decimal, and that should
// cost a byte, not the whole column its decimal form. The low bit of each delta says whether
// the XOR of the bits follows.
void put_patched(std::string& out, const std::vector<agg_entry>& entries, value_field f, int k) {
    out.push_back(static_cast<char>(patched_form + k));
    std::int64_t previous = 0;
    for (const agg_entry& e : entries) {
        const double s = e.*f * pow10[k];
        const bool in_range = std::isfinite(s) && std::fabs(s) < 9007199254740992.0;
        const std::int64_t n = in_range ? static_cast<std::int64_t>(std::nearbyint(s)) : previous;
        const std::uint64_t patch = bits_of(e.*f) ^ bits_of(static_cast<double>(n) / pow10[k]);
        put_varint(out, (zigzag(n - previous) << 1) | (patch != 0 ? 1 : 0));
        if (patch != 0) put_varint(out, patch);
        previous = n;
    }
}

// Each column in whichever form is shortest for it.
void encode_values(std::string& out, const std::vector<agg_entry>& entries, value_field f) {
    std::string best;
    put_doubles(best, entries, f);
    std::string candidate;
    const auto keep_shorter = [&] {
        if (candidate.size() < best.size()) best.swap(candidate);
        candidate.clear();
    };
    if (const auto k = decimal_scale(entries, f)) {
        put_decimal(candidate, entries, f, *k);
        keep_shorter();
    }
    for (int k = 0; k <= max_scale; ++k) {
        put_patched(candidate, entries, f, k);
        keep_shorter();
    }
    out += best;
}

bool decode_values(reader& in, std::vector<agg_entry>& entries, value_field f) {
    std::uint8_t form = 0;
    if (!in.byte(form) || form > last_form) return false;
    std::uint64_t previous = 0;
    for (agg_entry& e : entries) {
        std::uint64_t x = 0;
        if (!in.varint(x)) return false;
        if (form == doubles_form) {
            previous ^= x;
            e.*f = double_of(previous);
            continue;
        }
        const bool patched = form > doubles_form && (x & 1) != 0;
        if (form > doubles_form) x >>= 1;
        previous += static_cast<std::uint64_t>(unzigzag(x));  // wraps like the encoder's subtraction
        const int k = form > doubles_form ? form - patched_form : form;
        e.*f = static_cast<double>(static_cast<std::int64_t>(previous)) / pow10[k];
        if (patched) {
            std::uint64_t patch = 0;
            if (!in.varint(patch)) return false;
            e.*f = double_of(bits_of(e.*f) ^ patch);
        }
    }
    return true;
}

}  // namespace

void agg_entry::merge(const agg_entry& o) {
    t = std::min(t, o.t);
    if (o.count == 0) return;
    if (count == 0) {
        *this = agg_entry{t, o.t_first, o.t_last, o.count, o.min, o.max, o.sum, o.first, o.last};
        return;
    }
    count += o.count;
    sum += o.sum;
    if (o.min < min) min = o.min;
    if (o.max > max) max = o.max;
    if (o.t_first < t_first) {
        t_first = o.t_first;
        first = o.first;
    }
    if (o.t_last >= t_last) {
        t_last = o.t_last;
        last = o.last;
    }
}

bool agg_entry::operator==(const agg_entry& o) const {
    return t == o.t && t_first == o.t_first && t_last == o.t_last && count == o.count && min == o.min &&
           max == o.max && sum == o.sum && first == o.first && last == o.last;
}

std::int64_t bucket_start(std::int64_t t, std::int64_t width_ms) {
    if (width_ms <= 1) return t;
    std::int64_t r = t % width_ms;  // C++ rounds towards zero: r is negative for negative t
    if (r < 0) {
        constexpr std::int64_t lowest = std::numeric_limits<std::int64_t>::min();
        if (t < lowest + width_ms + r) return lowest;  // the floor, t - (r + width), is below it
        r += width_ms;
    }
    return t - r;
}

bool all_numbers(const std::vector<chunk_point>& points) {
    return std::all_of(points.begin(), points.end(),
                       [](const chunk_point& p) { return std::holds_alternative<double>(p.v); });
}

std::vector<agg_entry> aggregate(std::vector<chunk_point> points, std::int64_t width_ms) {
    points.erase(std::remove_if(points.begin(), points.end(),
                                [](const chunk_point& p) { return !std::holds_alternative<double>(p.v); }),
                 points.end());
    sort_by_time(points);
    std::vector<agg_entry> out;
    std::optional<exact_sum> sum;
    for (const chunk_point& p : points) {
        const double v = std::get<double>(p.v);
        const std::int64_t b = bucket_start(p.t, width_ms);
        if (out.empty() || out.back().t != b) {
            if (sum) out.back().sum = sum->value();
            out.push_back(agg_entry{b, p.t, p.t, 1, v, v, v, v, v});
            sum.emplace(v);
            continue;
        }
        agg_entry& e = out.back();
        ++e.count;
        sum->add(v);
        if (v < e.min) e.min = v;
        if (v > e.max) e.max = v;
        e.t_last = p.t;  // sorted: never earlier, and of equal times the later input wins
        e.last = v;
    }
    if (sum) out.back().sum = sum->value();
    return out;
}

std::vector<agg_entry> rebucket(const std::vector<agg_entry>& in, std::int64_t width_ms) {
    std::vector<const agg_entry*> order;
    order.reserve(in.size());
    for (const agg_entry& e : in) {
        if (e.count != 0) order.push_back(&e);
    }
    const auto earlier = [](const agg_entry* a, const agg_entry* b) { return a->t < b->t; };
    if (!std::is_sorted(order.begin(), order.end(), earlier)) std::stable_sort(order.begin(), order.end(), earlier);
    std::vector<agg_entry> out;
    std::optional<exact_sum> sum;
    for (const agg_entry* e : order) {
        const std::int64_t b = bucket_start(e->t, width_ms);
        if (out.empty() || out.back().t != b) {
            if (sum) out.back().sum = sum->value();
            out.push_back(*e);
            out.back().t = b;
            sum.emplace(e->sum);
            continue;
        }
        out.back().merge(*e);
        sum->add(e->sum);
    }
    if (sum) out.back().sum = sum->value();
    return out;
}

std::vector<chunk_point> changes(std::vector<chunk_point> points) {
    sort_by_time(points);
    std::size_t kept = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        // The last kept value equals the previous point's: a dropped point repeated it.
        if (kept > 0 && same_value(points[kept - 1].v, points[i].v)) continue;
        if (kept != i) points[kept] = std::move(points[i]);
        ++kept;
    }
    points.resize(kept);
    return points;
}

std::string agg_block::encode(const std::vector<agg_entry>& entries) {
    std::string out;
    out.reserve(16 + entries.size() * 12);
    out.push_back(static_cast<char>(version));
    put_varint(out, entries.size());
    if (entries.empty()) return out;
    const std::uint64_t unit = time_unit(entries);
    put_varint(out, zigzag(entries[0].t));
    put_varint(out, unit);
    for (std::size_t i = 1; i < entries.size(); ++i) {
        // An exact multiple of unit by its choice; unit fits an int64, so the division is safe.
        put_varint(out, zigzag(wrap_sub(entries[i].t, entries[i - 1].t) / static_cast<std::int64_t>(unit)));
    }
    std::int64_t previous = 0;
    for (const agg_entry& e : entries) {
        const std::int64_t offset = wrap_sub(e.t_first, e.t);
        put_varint(out, zigzag(wrap_sub(offset, previous)));
        previous = offset;
    }
    previous = 0;
    for (const agg_entry& e : entries) {
        const std::int64_t span = wrap_sub(e.t_last, e.t_first);
        put_varint(out, zigzag(wrap_sub(span, previous)));
        previous = span;
    }
    previous = 0;
    for (const agg_entry& e : entries) {
        const auto count = static_cast<std::int64_t>(e.count);
        put_varint(out, zigzag(wrap_sub(count, previous)));
        previous = count;
    }
    for (value_field f : value_fields) encode_values(out, entries, f);
    return zstd_blob::pack(std::move(out));
}

bool agg_block::decode(std::string_view stored, std::vector<agg_entry>& out) {
    std::string_view bytes;
    if (!zstd_blob::unpack(stored, bytes)) return false;
    reader in(bytes);
    std::uint8_t v = 0;
    std::uint64_t count = 0;
    if (!in.byte(v) || v != version || !in.varint(count) || count > max_entries ||
        count * min_entry_bytes > in.left()) {
        return false;
    }
    if (count == 0) return in.left() == 0;
    std::vector<agg_entry> entries(static_cast<std::size_t>(count));
    std::int64_t t = 0;
    std::uint64_t unit = 0;
    if (!in.signed_varint(t) || !in.varint(unit) || unit == 0) return false;
    entries[0].t = t;
    for (std::size_t i = 1; i < entries.size(); ++i) {
        std::int64_t steps = 0;
        if (!in.signed_varint(steps)) return false;
        t = wrap_add(t, static_cast<std::int64_t>(static_cast<std::uint64_t>(steps) * unit));
        entries[i].t = t;
    }
    std::int64_t previous = 0;
    for (agg_entry& e : entries) {
        std::int64_t d = 0;
        if (!in.signed_varint(d)) return false;
        previous = wrap_add(previous, d);
        e.t_first = wrap_add(e.t, previous);
    }
    previous = 0;
    for (agg_entry& e : entries) {
        std::int64_t d = 0;
        if (!in.signed_varint(d)) return false;
        previous = wrap_add(previous, d);
        e.t_last = wrap_add(e.t_first, previous);
    }
    previous = 0;
    for (agg_entry& e : entries) {
        std::int64_t d = 0;
        if (!in.signed_varint(d)) return false;
        previous = wrap_add(previous, d);
        e.count = static_cast<std::uint64_t>(previous);
    }
    for (value_field f : value_fields) {
        if (!decode_values(in, entries, f)) return false;
    }
    if (in.left() != 0) return false;
    out.insert(out.end(), entries.begin(), entries.end());
    return true;
}

}  // namespace sb
