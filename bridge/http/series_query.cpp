#include "http/series_query.hpp"

#include <charconv>
#include <cstdio>
#include <ctime>
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

std::string iso8601_utc(std::int64_t ms) {
    const std::time_t secs = static_cast<std::time_t>(ms / 1000);
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char text[64];  // room for any int fields: gcc checks the worst case
    std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(((ms % 1000) + 1000) % 1000));
    return text;
}

}  // namespace sb
