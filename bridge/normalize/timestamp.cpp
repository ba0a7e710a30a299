#include "normalize/timestamp.hpp"

#include <array>
#include <cmath>
#include <cstddef>

namespace sb::detail {

namespace {

constexpr std::int64_t ms_per_second = 1000;
constexpr std::int64_t ms_per_day = 86400 * ms_per_second;
constexpr double senml_relative_below = 268435456.0;  // 2^28 seconds

constexpr bool is_leap_year(int y) noexcept {
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int days_in_month(int year, int month) noexcept {
    constexpr std::array<int, 12> days{31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && is_leap_year(year) ? 29 : days[static_cast<std::size_t>(month - 1)];
}

// Days from 0001-01-01 to January 1st of `year` (proleptic Gregorian).
constexpr std::int64_t days_before_year(std::int64_t year) noexcept {
    const std::int64_t y = year - 1;
    return 365 * y + y / 4 - y / 100 + y / 400;
}

std::optional<std::int64_t> in_range(std::int64_t ms) noexcept {
    if (ms < 0 || ms > max_timestamp_ms) return std::nullopt;
    return ms;
}

// Reads fixed-width fields left to right; any mismatch makes the whole parse fail.
class cursor {
public:
    explicit cursor(std::string_view text) : text_(text) {}

    bool digits(std::size_t count, int& out) noexcept {
        if (text_.size() - pos_ < count) return false;
        int value = 0;
        for (std::size_t i = 0; i < count; ++i) {
            const char c = text_[pos_ + i];
            if (c < '0' || c > '9') return false;
            value = value * 10 + (c - '0');
        }
        pos_ += count;
        out = value;
        return true;
    }

    bool literal(char c) noexcept {
        if (pos_ >= text_.size() || text_[pos_] != c) return false;
        ++pos_;
        return true;
    }

    bool one_of(std::string_view set, char& out) noexcept {
        if (pos_ >= text_.size() || set.find(text_[pos_]) == std::string_view::npos) return false;
        out = text_[pos_++];
        return true;
    }

    bool at_end() const noexcept { return pos_ == text_.size(); }

private:
    std::string_view text_;
    std::size_t pos_ = 0;
};

// ".123456" -> 123 (ms); absent fraction -> 0. At most 9 digits (ns precision).
bool read_fraction_ms(cursor& in, int& ms) noexcept {
    ms = 0;
    if (!in.literal('.')) return true;
    int digit = 0;
    std::size_t count = 0;
    while (in.digits(1, digit)) {
        if (count < 3) ms = ms * 10 + digit;
        ++count;
    }
    if (count == 0 || count > 9) return false;
    for (; count < 3; ++count) ms *= 10;
    return true;
}

// "Z" -> 0; "+hh:mm" / "-hhmm" -> signed minutes east of UTC; nothing at all -> no offset.
bool read_offset_minutes(cursor& in, std::optional<int>& minutes) noexcept {
    minutes.reset();
    if (in.at_end()) return true;
    char sign = 0;
    if (in.one_of("Zz", sign)) {
        minutes = 0;
        return true;
    }
    int hh = 0;
    int mm = 0;
    if (!in.one_of("+-", sign) || !in.digits(2, hh)) return false;
    in.literal(':');
    if (!in.digits(2, mm) || hh > 23 || mm > 59) return false;
    minutes = (sign == '-' ? -1 : 1) * (hh * 60 + mm);
    return true;
}

// The fields of an ISO-8601 date-time, offset optional.
struct civil_time {
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, ms = 0;
    std::optional<int> offset_minutes;
};

// Shape and field ranges; false when anything is off.
bool read_civil_time(std::string_view text, civil_time& t) noexcept {
    cursor in(text);
    char separator = 0;
    const bool shape_ok = in.digits(4, t.year) && in.literal('-') && in.digits(2, t.month) &&
                          in.literal('-') && in.digits(2, t.day) && in.one_of("Tt ", separator) &&
                          in.digits(2, t.hour) && in.literal(':') && in.digits(2, t.minute) &&
                          in.literal(':') && in.digits(2, t.second) && read_fraction_ms(in, t.ms) &&
                          read_offset_minutes(in, t.offset_minutes) && in.at_end();
    if (!shape_ok || t.year < 1 || t.month < 1 || t.month > 12) return false;
    // second 60 is a leap second (RFC 3339); it lands on the next second's ms.
    return t.day >= 1 && t.day <= days_in_month(t.year, t.month) && t.hour <= 23 &&
           t.minute <= 59 && t.second <= 60;
}

}  // namespace

std::int64_t days_from_civil(int year, int month, int day) noexcept {
    constexpr std::array<int, 12> before_month{0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
    std::int64_t days = days_before_year(year) - days_before_year(1970);
    days += before_month[static_cast<std::size_t>(month - 1)];
    if (month > 2 && is_leap_year(year)) ++days;
    return days + day - 1;
}

std::optional<std::int64_t> epoch_number_to_ms(double value) noexcept {
    if (!std::isfinite(value) || value < 0) return std::nullopt;
    const double ms = value < epoch_seconds_below ? value * 1000.0 : value;
    if (ms > static_cast<double>(max_timestamp_ms)) return std::nullopt;
    return in_range(std::llround(ms));
}

std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) noexcept {
    civil_time t;
    if (!read_civil_time(text, t) || !t.offset_minutes) return std::nullopt;
    const std::int64_t seconds_of_day =
        t.hour * 3600 + t.minute * 60 + t.second - *t.offset_minutes * 60;
    return in_range(days_from_civil(t.year, t.month, t.day) * ms_per_day +
                    seconds_of_day * ms_per_second + t.ms);
}

bool is_iso8601_local_time(std::string_view text) noexcept {
    civil_time t;
    return read_civil_time(text, t) && !t.offset_minutes;
}

std::optional<std::int64_t> senml_time_to_ms(double seconds, std::int64_t now_ms) noexcept {
    if (!std::isfinite(seconds)) return std::nullopt;
    if (seconds >= senml_relative_below) {
        if (seconds * 1000.0 > static_cast<double>(max_timestamp_ms)) return std::nullopt;
        return in_range(std::llround(seconds * 1000.0));
    }
    // Relative time; bound it before converting so llround cannot overflow.
    if (seconds < -senml_relative_below) return std::nullopt;
    return in_range(now_ms + std::llround(seconds * 1000.0));
}

}  // namespace sb::detail
