#pragma once
// The byte-level pieces the history's binary forms share (point_chunk, agg_block): varints,
// zigzag for signed values, a bounds-checked reader, a double's bits, and the exact-decimal test
// behind their compact "decimal" form. Header-only and pure.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace sb::byte_codec {

inline constexpr int max_scale = 6;
inline constexpr double pow10[max_scale + 1] = {1, 10, 100, 1000, 10000, 100000, 1000000};

inline std::uint64_t bits_of(double d) {
    std::uint64_t b = 0;
    std::memcpy(&b, &d, sizeof b);
    return b;
}

inline double double_of(std::uint64_t b) {
    double d = 0;
    std::memcpy(&d, &b, sizeof d);
    return d;
}

inline std::uint64_t zigzag(std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    return (u << 1) ^ (std::uint64_t{0} - (u >> 63));  // all ones for a negative v, portably
}

inline std::int64_t unzigzag(std::uint64_t v) {
    return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

inline void put_varint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out.push_back(static_cast<char>((v & 0x7f) | 0x80));
        v >>= 7;
    }
    out.push_back(static_cast<char>(v));
}

// Reads the input front to back; a read past the end or a varint past 64 bits fails.
class reader {
public:
    explicit reader(std::string_view in) : in_(in) {}
    bool varint(std::uint64_t& v) {
        v = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (at_ >= in_.size()) return false;
            const auto byte = static_cast<std::uint8_t>(in_[at_++]);
            v |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
            if ((byte & 0x80) == 0) return shift < 63 || byte <= 1;
        }
        return false;
    }
    bool signed_varint(std::int64_t& v) {
        std::uint64_t z = 0;
        if (!varint(z)) return false;
        v = unzigzag(z);
        return true;
    }
    bool byte(std::uint8_t& b) {
        if (at_ >= in_.size()) return false;
        b = static_cast<std::uint8_t>(in_[at_++]);
        return true;
    }
    bool bytes(std::size_t n, std::string_view& out) {
        if (n > in_.size() - at_) return false;
        out = in_.substr(at_, n);
        at_ += n;
        return true;
    }
    std::size_t left() const { return in_.size() - at_; }

private:
    std::string_view in_;
    std::size_t at_ = 0;
};

// The scaled integer of a decimal value at scale k, when it divides back to the same bits.
inline std::optional<std::int64_t> scaled(double v, int k) {
    const double s = v * pow10[k];
    if (!std::isfinite(s) || std::fabs(s) >= 9007199254740992.0) return std::nullopt;  // 2^53: exact integers
    const auto n = static_cast<std::int64_t>(std::nearbyint(s));
    // Through the integer, as the decoder does it: -0.0 comes back as 0.0, so it is no decimal.
    if (bits_of(static_cast<double>(n) / pow10[k]) != bits_of(v)) return std::nullopt;
    return n;
}

}  // namespace sb::byte_codec
