// The series query (docs/PROTOCOL.md §6, "Series"): times as ms, ISO-8601 or relative to now,
// the default hour, maxPoints bounds, the format; every bad one a 400 with a reason.
#include "http/series_query.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sb {
namespace {

constexpr std::int64_t now = 1795000000000;  // 2026-11-18T11:06:40Z

TEST(series_query, times_in_every_form_it_accepts) {
    EXPECT_EQ(parse_series_time("1794999000000", now), 1794999000000);
    EXPECT_EQ(parse_series_time("now", now), now);
    EXPECT_EQ(parse_series_time("-15m", now), now - 15 * 60000);
    EXPECT_EQ(parse_series_time("-24h", now), now - 24 * 3600000LL);
    EXPECT_EQ(parse_series_time("-7d", now), now - 7 * 86400000LL);
    EXPECT_EQ(parse_series_time("-2w", now), now - 14 * 86400000LL);
    EXPECT_EQ(parse_series_time("-30s", now), now - 30000);
    EXPECT_EQ(parse_series_time("-500ms", now), now - 500);
    EXPECT_EQ(parse_series_time("2026-11-18T11:06:40Z", now), now);
    EXPECT_EQ(parse_series_time("2026-11-18T12:06:40.5+01:00", now), now + 500);
    for (const char* bad : {"", "-", "-5", "-5y", "5m", "yesterday", "2026-11-18T11:06:40", "-99999999999999999999d",
                            "1e12", "-1", "99999999999999999"}) {
        EXPECT_FALSE(parse_series_time(bad, now).has_value()) << bad;
    }
}

TEST(series_query, the_default_is_the_last_hour_at_a_thousand_points_in_json) {
    series_query q;
    ASSERT_FALSE(parse_series_query("", "", now, q));
    EXPECT_EQ(q.to, now);
    EXPECT_EQ(q.from, now - 3600000);
    EXPECT_EQ(q.max_points, 1000u);
    EXPECT_FALSE(q.csv);
    ASSERT_FALSE(parse_series_query("from=-24h", "", now, q));
    EXPECT_EQ(q.to, now - 24 * 3600000LL + 3600000);  // one bound given: the hour next to it
    ASSERT_FALSE(parse_series_query("to=1794000000000&maxPoints=10000&format=csv", "", now, q));
    EXPECT_EQ(q.from, 1794000000000 - 3600000);
    EXPECT_EQ(q.max_points, 10000u);
    EXPECT_TRUE(q.csv);
}

TEST(series_query, accept_text_csv_asks_for_csv_unless_format_says_otherwise) {
    series_query q;
    ASSERT_FALSE(parse_series_query("", "text/csv", now, q));
    EXPECT_TRUE(q.csv);
    ASSERT_FALSE(parse_series_query("", "application/json, text/csv;q=0.5", now, q));
    EXPECT_FALSE(q.csv);
    ASSERT_FALSE(parse_series_query("format=json", "text/csv", now, q));
    EXPECT_FALSE(q.csv);
}

TEST(series_query, bad_queries_say_why) {
    for (const char* bad : {"from=2&to=1", "from=abc", "to=-5x", "maxPoints=0", "maxPoints=10001", "maxPoints=ten",
                            "format=xml", "from=%zz", "prefix=%"}) {
        series_query q;
        const auto why = parse_series_query(bad, "", now, q);
        ASSERT_TRUE(why.has_value()) << bad;
        EXPECT_FALSE(why->empty()) << bad;
    }
}

TEST(series_query, iso8601_utc_writes_ms) {
    EXPECT_EQ(iso8601_utc(now + 123), "2026-11-18T11:06:40.123Z");
    EXPECT_EQ(iso8601_utc(0), "1970-01-01T00:00:00.000Z");
}

TEST(series_query, iso8601_utc_matches_gmtime_across_the_calendar) {
    // Leap days, century years, the last ms of a year, before 1970 and the largest timestamp.
    EXPECT_EQ(iso8601_utc(951782400000), "2000-02-29T00:00:00.000Z");
    EXPECT_EQ(iso8601_utc(4107542399999), "2100-02-28T23:59:59.999Z");
    EXPECT_EQ(iso8601_utc(1798761599999), "2026-12-31T23:59:59.999Z");
    EXPECT_EQ(iso8601_utc(-1), "1969-12-31T23:59:59.999Z");
    EXPECT_EQ(iso8601_utc(-62135596800000), "0001-01-01T00:00:00.000Z");
    EXPECT_EQ(iso8601_utc(253402300799999), "9999-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace sb
