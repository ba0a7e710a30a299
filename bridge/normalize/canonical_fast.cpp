#include "normalize/canonical_fast.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>

#include "core/utf8_excerpt.hpp"
#include "normalize/timestamp.hpp"

namespace sb::detail {
namespace {

// 10^0 .. 10^15, each exact as a double (as RapidJSON's Pow10 table).
constexpr std::array<double, 16> pow10{1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                       1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

// The number forms taken here, and what RapidJSON (default precision) makes of them:
// - an integer of up to 18 digits: read as a 64-bit integer, then converted to double;
// - digits '.' digits, 15 digits in all: the digits as an integer below 2^53, divided by the
//   exact power of ten (RapidJSON's StrtodNormalPrecision fast path): correctly rounded.
// Exponents and longer numbers are left to RapidJSON.
class scanner {
public:
    explicit scanner(std::string_view s) : s_(s) {}

    bool at_end() const noexcept { return i_ == s_.size(); }
    void skip_space() {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }
    bool take(char c) {
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }
    char peek() const noexcept { return i_ < s_.size() ? s_[i_] : '\0'; }

    // A string without escapes or control characters; bytes >= 0x80 are checked as UTF-8.
    std::optional<std::string_view> string() {
        if (!take('"')) return std::nullopt;
        const std::size_t start = i_;
        bool ascii = true;
        for (; i_ < s_.size(); ++i_) {
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') break;
            if (c == '\\' || c < 0x20) return std::nullopt;
            if (c >= 0x80) ascii = false;
        }
        if (i_ == s_.size()) return std::nullopt;
        const std::string_view text = s_.substr(start, i_ - start);
        ++i_;
        if (!ascii && !is_valid_utf8(text)) return std::nullopt;
        return text;
    }

    std::optional<double> number() {
        const bool minus = take('-');
        std::uint64_t digits = 0;
        int count = 0;
        if (take('0')) {
            count = 1;
            if (peek() >= '0' && peek() <= '9') return std::nullopt;  // a leading zero: not JSON
        } else {
            while (peek() >= '0' && peek() <= '9') {
                digits = digits * 10 + static_cast<std::uint64_t>(s_[i_++] - '0');
                if (++count > 18) return std::nullopt;
            }
            if (count == 0) return std::nullopt;
        }
        int fraction = 0;
        if (take('.')) {
            while (peek() >= '0' && peek() <= '9') {
                digits = digits * 10 + static_cast<std::uint64_t>(s_[i_++] - '0');
                ++fraction;
                if (++count > 15) return std::nullopt;
            }
            if (fraction == 0) return std::nullopt;
        }
        if (peek() == 'e' || peek() == 'E') return std::nullopt;
        if (fraction == 0) {
            // RapidJSON keeps an integer as one (a negative one as int64: "-0" is +0.0) and
            // converts it on GetDouble().
            return minus ? static_cast<double>(-static_cast<std::int64_t>(digits)) : static_cast<double>(digits);
        }
        const double d = static_cast<double>(digits) / pow10[static_cast<std::size_t>(fraction)];
        return minus ? -d : d;
    }

    bool word(std::string_view w) {
        if (s_.substr(i_, w.size()) != w) return false;
        i_ += w.size();
        return true;
    }

private:
    std::string_view s_;
    std::size_t i_ = 0;
};

struct fields {
    std::optional<std::string_view> sensor_id, unit;
    std::optional<reading_value> value;
    std::optional<double> timestamp;
};

// One member's value into f; false for anything this path does not take.
bool read_member(scanner& in, std::string_view key, fields& f) {
    if (key == "sensorId" || key == "unit") {
        auto& slot = key == "unit" ? f.unit : f.sensor_id;
        if (slot) return false;  // a duplicate: the general path takes the first
        slot = in.string();
        return slot.has_value();
    }
    if (key == "timestamp") {
        if (f.timestamp) return false;
        f.timestamp = in.number();
        return f.timestamp.has_value();
    }
    if (key != "value" || f.value) return false;
    const char c = in.peek();
    if (c == '"') {
        const auto text = in.string();
        if (!text) return false;
        f.value = std::string(*text);
    } else if (c == 't' || c == 'f') {
        if (!in.word(c == 't' ? "true" : "false")) return false;
        f.value = c == 't';
    } else {
        const auto number = in.number();
        if (!number) return false;
        f.value = *number;
    }
    return true;
}

bool read_object(std::string_view payload, fields& f) {
    scanner in(payload);
    in.skip_space();
    if (!in.take('{')) return false;
    in.skip_space();
    if (in.take('}')) return false;  // {}: not canonical
    do {
        in.skip_space();
        const auto key = in.string();
        if (!key) return false;
        in.skip_space();
        if (!in.take(':')) return false;
        in.skip_space();
        if (!read_member(in, *key, f)) return false;
        in.skip_space();
    } while (in.take(','));
    if (!in.take('}')) return false;
    in.skip_space();
    return in.at_end();
}

}  // namespace

bool read_canonical_fast(reading_sink& sink) {
    fields f;
    if (!read_object(sink.in.payload, f) || !f.value) return false;
    const std::string_view id = f.sensor_id ? *f.sensor_id : sink.in.topic_id;
    if (check_id(id)) return false;
    if (const auto* text = std::get_if<std::string>(&*f.value); text && check_text(*text, "string value")) return false;
    if (f.unit && check_text(*f.unit, "unit")) return false;
    std::int64_t timestamp = sink.in.received_at;
    if (f.timestamp) {
        const std::optional<std::int64_t> ms = epoch_number_to_ms(*f.timestamp);
        if (!ms) return false;
        timestamp = *ms;
    }
    return !sink.add(std::string(id), std::move(*f.value), f.unit ? std::string(*f.unit) : std::string(), timestamp);
}

}  // namespace sb::detail
