#pragma once
// The query of GET /api/sensors/{id}/series and GET /api/series (docs/PROTOCOL.md §6, "Series"):
// from, to, maxPoints and the answer's format, parsed from the query string. Pure.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sb {

inline constexpr std::int64_t default_series_span_ms = 3600 * 1000;  // the last hour
inline constexpr std::size_t default_series_points = 1000;
inline constexpr std::size_t max_series_points = 10000;

struct series_query {
    std::int64_t from = 0;
    std::int64_t to = 0;
    std::size_t max_points = default_series_points;
    bool csv = false;
    std::string prefix;  // GET /api/series only
};

// A time as ms since the epoch: an integer of ms, an ISO-8601 time with its offset
// ("2026-12-07T10:00:00Z", "...+01:00"), "now", or now minus a span ("-15m", "-24h", "-7d";
// units ms, s, m, h, d, w). nullopt when it is none of these or outside 1970..9999.
std::optional<std::int64_t> parse_series_time(std::string_view text, std::int64_t now_ms);

// Parses the query: from and to default to the hour before now (one given: the hour next to
// it; to may be in the future), maxPoints 1..10000 (default 1000), format=csv or an Accept
// header preferring text/csv for CSV. Returns the error message for a 400 instead (from after
// to, a time it cannot read, maxPoints out of range, an unknown format).
std::optional<std::string> parse_series_query(std::string_view query, std::string_view accept, std::int64_t now_ms,
                                              series_query& out);

// ms since the epoch as ISO-8601 UTC with ms: "2026-11-18T11:06:40.123Z" (proleptic Gregorian;
// times before 1970 too).
std::string iso8601_utc(std::int64_t ms);
void append_iso8601_utc(std::string& out, std::int64_t ms);

}  // namespace sb
