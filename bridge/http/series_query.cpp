#include "http/series_query.hpp"

#include <charconv>
#include <limits>

#include "http/query_string.hpp"
#include "normalize/timestamp.hpp"

namespace sb {
namespace {

constexpr std::int64_t max_time_ms = detail::max_timestamp_ms;

std::optional<std::int64_t> parse_digits(std::string_view text) {
    std::int64_t n = 0;
    if (text.empty()) return std::nullopt;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
    return n;
}

std::optional<std::int64_t> unit_ms(std::string_view unit) {
    if (unit == "ms") return 1;
    if (unit == "s") return 1000;
    if (unit == "m") return 60 * 1000;
    if (unit == "h") return 3600 * 1000;
    if (unit == "d") return 24 * 3600 * 1000;
    if (unit == "w") return 7 * 24 * 3600 * 1000LL;
    return std::nullopt;
}

// "-15m": now minus 15 minutes.
std::optional<std::int64_t> parse_relative(std::string_view text, std::int64_t now_ms) {
    std::size_t digits = 1;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    const auto n = parse_digits(text.substr(1, digits - 1));
    const auto unit = unit_ms(text.substr(digits));
    if (!n || !unit || *n > max_time_ms / *unit) return std::nullopt;
    const std::int64_t t = now_ms - *n * *unit;
    return t >= 0 ? std::optional<std::int64_t>(t) : std::nullopt;
}

std::optional<std::string> parse_max_points(const query_value& v, std::size_t& out) {
    if (v.status == query_status::absent) return std::nullopt;
    const auto n = parse_digits(v.value);
    if (v.status == query_status::malformed || !n || *n < 1 || *n > static_cast<std::int64_t>(max_series_points)) {
        return std::string("'maxPoints' must be an integer from 1 to ") + std::to_string(max_series_points);
    }
    out = static_cast<std::size_t>(*n);
    return std::nullopt;
}

// The Accept header asks for CSV before JSON: text/csv listed, and application/json not first.
bool accepts_csv_first(std::string_view accept) {
    const std::size_t csv = accept.find("text/csv");
    if (csv == std::string_view::npos) return false;
    const std::size_t json = accept.find("application/json");
    return json == std::string_view::npos || csv < json;
}

}  // namespace

std::optional<std::int64_t> parse_series_time(std::string_view text, std::int64_t now_ms) {
    if (text == "now") return now_ms;
    if (!text.empty() && text.front() == '-') return parse_relative(text, now_ms);
    if (const auto n = parse_digits(text)) {
        return *n >= 0 && *n <= max_time_ms ? n : std::nullopt;
    }
    return detail::parse_iso8601_ms(text);
}

std::optional<std::string> parse_series_query(std::string_view query, std::string_view accept, std::int64_t now_ms,
                                              series_query& out) {
    const query_value from = find_query_param(query, "from");
    const query_value to = find_query_param(query, "to");
    std::optional<std::int64_t> f, t;
    if (from.status != query_status::absent) {
        f = from.status == query_status::present ? parse_series_time(from.value, now_ms) : std::nullopt;
        if (!f) return "'from' is not a time: ms since the epoch, ISO-8601 with an offset, now, or -15m / -24h / -7d";
    }
    if (to.status != query_status::absent) {
        t = to.status == query_status::present ? parse_series_time(to.value, now_ms) : std::nullopt;
        if (!t) return "'to' is not a time: ms since the epoch, ISO-8601 with an offset, now, or -15m / -24h / -7d";
    }
    out.to = t ? *t : (f ? std::min(*f + default_series_span_ms, max_time_ms) : now_ms);
    out.from = f ? *f : std::max<std::int64_t>(0, out.to - default_series_span_ms);
    if (out.from > out.to) return "'from' is after 'to'";
    if (auto bad = parse_max_points(find_query_param(query, "maxPoints"), out.max_points)) return bad;
    const query_value format = find_query_param(query, "format");
    if (format.status == query_status::absent) {
        out.csv = accepts_csv_first(accept);
    } else if (format.value == "csv" || format.value == "json") {
        out.csv = format.value == "csv";
    } else {
        return "'format' must be json or csv";
    }
    const query_value prefix = find_query_param(query, "prefix");
    if (prefix.status == query_status::malformed) return "malformed percent-encoding in 'prefix'";
    out.prefix = prefix.value;
    return std::nullopt;
}

void append_iso8601_utc(std::string& out, std::int64_t ms) {
    // Floor division, then Howard Hinnant's civil_from_days: no gmtime_r or printf per row (a
    // CSV export writes one a row).
    std::int64_t secs = ms / 1000, milli = ms % 1000;
    if (milli < 0) milli += 1000, --secs;
    std::int64_t days = secs / 86400, sod = secs % 86400;
    if (sod < 0) sod += 86400, --days;
    const std::int64_t z = days + 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char text[48];
    char* p = text;
    const auto digits = [&p](std::int64_t v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
        p += width;
    };
    if (year >= 0 && year <= 9999) {
        digits(year, 4);
    } else {
        p = std::to_chars(p, text + 24, year).ptr;
    }
    *p++ = '-';
    digits(month, 2);
    *p++ = '-';
    digits(day, 2);
    *p++ = 'T';
    digits(sod / 3600, 2);
    *p++ = ':';
    digits(sod / 60 % 60, 2);
    *p++ = ':';
    digits(sod % 60, 2);
    *p++ = '.';
    digits(milli, 3);
    *p++ = 'Z';
    out.append(text, p);
}

std::string iso8601_utc(std::int64_t ms) {
    std::string out;
    append_iso8601_utc(out, ms);
    return out;
}

}  // namespace sb
