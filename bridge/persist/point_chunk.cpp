#include "persist/point_chunk.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "persist/byte_codec.hpp"
#include "persist/zstd_blob.hpp"

namespace sb {
namespace {

using namespace byte_codec;

enum class value_form : std::uint8_t { decimal = 0, doubles = 1, mixed = 2 };
enum class tag : std::uint8_t { number = 0, no = 1, yes = 2, text = 3, same_text = 4 };




// The smallest scale at which every value is an exact decimal; nullopt when none is, or when
// a value is not a number.
std::optional<int> decimal_scale(const std::vector<chunk_point>& points) {
    int k = 0;
    for (const chunk_point& p : points) {
        const double* d = std::get_if<double>(&p.v);
        if (d == nullptr) return std::nullopt;
        while (k <= max_scale && !scaled(*d, k)) ++k;
        if (k > max_scale) return std::nullopt;
    }
    // The scale grew along the way: the earlier values must hold at the final one too.
    const bool all_exact = std::all_of(points.begin(), points.end(),
                                       [k](const chunk_point& p) { return scaled(std::get<double>(p.v), k).has_value(); });
    if (!all_exact) return std::nullopt;
    return k;
}

void encode_values(std::string& out, const std::vector<chunk_point>& points) {
    if (const auto k = decimal_scale(points)) {
        out.push_back(static_cast<char>(value_form::decimal));
        out.push_back(static_cast<char>(*k));
        std::int64_t previous = 0;
        for (const chunk_point& p : points) {
            const std::int64_t n = *scaled(std::get<double>(p.v), *k);
            put_varint(out, zigzag(n - previous));  // |n| < 2^53: no overflow
            previous = n;
        }
        return;
    }
    const bool numbers = std::all_of(points.begin(), points.end(),
                                     [](const chunk_point& p) { return std::holds_alternative<double>(p.v); });
    if (numbers) {
        out.push_back(static_cast<char>(value_form::doubles));
        std::uint64_t previous = 0;
        for (const chunk_point& p : points) {
            const std::uint64_t b = bits_of(std::get<double>(p.v));
            put_varint(out, b ^ previous);
            previous = b;
        }
        return;
    }
    out.push_back(static_cast<char>(value_form::mixed));
    const std::string* last_text = nullptr;
    for (const chunk_point& p : points) {
        if (const double* d = std::get_if<double>(&p.v)) {
            out.push_back(static_cast<char>(tag::number));
            const std::uint64_t b = bits_of(*d);
            for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((b >> (8 * i)) & 0xff));
        } else if (const bool* b = std::get_if<bool>(&p.v)) {
            out.push_back(static_cast<char>(*b ? tag::yes : tag::no));
        } else {
            const std::string& s = std::get<std::string>(p.v);
            if (last_text && *last_text == s) {
                out.push_back(static_cast<char>(tag::same_text));
                continue;
            }
            out.push_back(static_cast<char>(tag::text));
            put_varint(out, s.size());
            out += s;
            last_text = &s;
        }
    }
}

bool decode_mixed(reader& in, std::vector<chunk_point>& points) {
    std::string last_text;
    bool have_text = false;
    for (chunk_point& p : points) {
        std::uint8_t t = 0;
        if (!in.byte(t)) return false;
        switch (static_cast<tag>(t)) {
            case tag::number: {
                std::string_view raw;
                if (!in.bytes(8, raw)) return false;
                std::uint64_t b = 0;
                for (int i = 0; i < 8; ++i) b |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(raw[i])) << (8 * i);
                p.v = double_of(b);
                break;
            }
            case tag::no: p.v = false; break;
            case tag::yes: p.v = true; break;
            case tag::text: {
                std::uint64_t n = 0;
                std::string_view s;
                if (!in.varint(n) || n > in.left() || !in.bytes(static_cast<std::size_t>(n), s)) return false;
                last_text.assign(s);
                have_text = true;
                p.v = last_text;
                break;
            }
            case tag::same_text:
                if (!have_text) return false;
                p.v = last_text;
                break;
            default: return false;
        }
    }
    return true;
}

bool decode_values(reader& in, std::vector<chunk_point>& points) {
    std::uint8_t form = 0;
    if (!in.byte(form)) return false;
    if (form == static_cast<std::uint8_t>(value_form::decimal)) {
        std::uint8_t k = 0;
        if (!in.byte(k) || k > max_scale) return false;
        std::uint64_t previous = 0;
        for (chunk_point& p : points) {
            std::uint64_t d = 0;
            if (!in.varint(d)) return false;
            previous += static_cast<std::uint64_t>(unzigzag(d));  // wraps like the encoder's subtraction
            p.v = static_cast<double>(static_cast<std::int64_t>(previous)) / pow10[k];
        }
        return true;
    }
    if (form == static_cast<std::uint8_t>(value_form::doubles)) {
        std::uint64_t previous = 0;
        for (chunk_point& p : points) {
            std::uint64_t x = 0;
            if (!in.varint(x)) return false;
            previous ^= x;
            p.v = double_of(previous);
        }
        return true;
    }
    if (form == static_cast<std::uint8_t>(value_form::mixed)) return decode_mixed(in, points);
    return false;
}

}  // namespace

bool chunk_point::operator==(const chunk_point& o) const {
    if (t != o.t || v.index() != o.v.index()) return false;
    if (const double* d = std::get_if<double>(&v)) return bits_of(*d) == bits_of(std::get<double>(o.v));
    return v == o.v;
}

std::string point_chunk::encode(const std::vector<chunk_point>& points, packing p) {
    std::string out;
    out.reserve(8 + points.size() * 3);
    out.push_back(static_cast<char>(version));
    put_varint(out, points.size());
    std::int64_t previous_t = 0;
    std::int64_t previous_delta = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        if (i == 0) {
            put_varint(out, zigzag(points[0].t));
        } else {
            // Wrapping arithmetic: any int64 times round-trip, near ones cost a byte.
            const auto delta = static_cast<std::int64_t>(static_cast<std::uint64_t>(points[i].t) -
                                                         static_cast<std::uint64_t>(previous_t));
            put_varint(out, zigzag(static_cast<std::int64_t>(static_cast<std::uint64_t>(delta) -
                                                             static_cast<std::uint64_t>(previous_delta))));
            previous_delta = delta;
        }
        previous_t = points[i].t;
    }
    if (!points.empty()) encode_values(out, points);
    return p == packing::zstd ? zstd_blob::pack(std::move(out)) : out;
}

bool point_chunk::decode(std::string_view stored, std::vector<chunk_point>& out) {
    std::string_view bytes;
    if (!zstd_blob::unpack(stored, bytes)) return false;
    reader in(bytes);
    std::uint8_t v = 0;
    std::uint64_t count = 0;
    // Every point costs at least one byte of time and one of value: a count past that is a lie.
    if (!in.byte(v) || v != version || !in.varint(count) || count > max_points || count > in.left()) return false;
    std::vector<chunk_point> points(static_cast<std::size_t>(count));
    std::uint64_t t = 0, delta = 0;
    for (std::size_t i = 0; i < points.size(); ++i) {
        std::uint64_t z = 0;
        if (!in.varint(z)) return false;
        if (i == 0) {
            t = static_cast<std::uint64_t>(unzigzag(z));
        } else {
            delta += static_cast<std::uint64_t>(unzigzag(z));
            t += delta;
        }
        points[i].t = static_cast<std::int64_t>(t);
    }
    if (!points.empty() && !decode_values(in, points)) return false;
    if (in.left() != 0) return false;
    out.insert(out.end(), std::make_move_iterator(points.begin()), std::make_move_iterator(points.end()));
    return true;
}

}  // namespace sb
