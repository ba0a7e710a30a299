// Timestamps of canonical payloads: epoch ms / s / fractional s, ISO-8601 with Z or an offset,
// a local time without offset and missing (-> receive time), malformed (-> invalid_json), and
// the keys that carry them. Mirrors normalize/timestamp.cpp and read_timestamp in fields.cpp.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/timestamp.hpp"
#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using rr = reject_reason;

// 2026-11-18T11:06:40.123Z
constexpr std::int64_t t0 = 1795000000123;

std::string with_field(const std::string& key, const std::string& json_value) {
    return R"({"sensorId":"s","value":1,")" + key + "\":" + json_value + "}";
}

std::string with_ts(const std::string& json_value) { return with_field("timestamp", json_value); }

accept_case at(std::string name, std::string payload, std::int64_t expected) {
    return {std::move(name), "", std::move(payload), {{"s", 1.0, "", expected}}};
}

std::vector<accept_case> accept_cases() {
    return {
        at("missing_uses_receive_time", R"({"sensorId":"s","value":1})", received_at),
        at("null_uses_receive_time", with_ts("null"), received_at),
        at("epoch_ms", with_ts("1795000000123"), t0),
        at("epoch_ms_fraction_rounds", with_ts("1795000000122.6"), t0),
        at("epoch_seconds", with_ts("1795000000"), 1795000000000),
        at("epoch_fractional_seconds", with_ts("1795000000.123"), t0),
        at("epoch_seconds_exponent", with_ts("1.795e9"), 1795000000000),
        at("epoch_zero", with_ts("0"), 0),
        at("key_ts", with_field("ts", "1795000000123"), t0),
        at("key_time", with_field("time", "1795000000"), 1795000000000),
        at("timestamp_beats_ts", R"({"sensorId":"s","value":1,"ts":5,"timestamp":1795000000123})",
           t0),
        at("iso_z", with_ts(R"("2026-11-18T11:06:40.123Z")"), t0),
        at("iso_plus_offset", with_ts(R"("2026-11-18T13:06:40.123+02:00")"), t0),
        at("iso_minus_half_hour_offset", with_ts(R"("2026-11-18T06:36:40.123-04:30")"), t0),
        at("iso_compact_offset", with_ts(R"("2026-11-18T13:06:40.123+0200")"), t0),
        at("iso_offset_crosses_midnight", with_ts(R"("2026-11-19T01:06:40.123+14:00")"), t0),
        at("iso_no_fraction", with_ts(R"("2026-11-18T11:06:40Z")"), 1795000000000),
        at("iso_one_digit_fraction", with_ts(R"("2026-11-18T11:06:40.1Z")"), 1795000000100),
        at("iso_nanoseconds_truncated", with_ts(R"("2026-11-18T11:06:40.123987654Z")"), t0),
        at("iso_lowercase_and_space", with_ts(R"("2026-11-18 11:06:40.123z")"), t0),
        at("iso_leap_day", with_ts(R"("2024-02-29T00:00:00Z")"), 1709164800000),
        at("iso_century_leap_day", with_ts(R"("2000-02-29T12:00:00Z")"), 951825600000),
        at("iso_epoch", with_ts(R"("1970-01-01T00:00:00Z")"), 0),
        at("iso_max", with_ts(R"("9999-12-31T23:59:59.999Z")"), 253402300799999),
        at("iso_leap_second", with_ts(R"("2016-12-31T23:59:60Z")"), 1483228800000),
        // A device's local wall-clock time (Tasmota "Time"): well-formed, zone unknown.
        at("iso_local_time_uses_receive_time", with_ts(R"("2026-11-18T12:06:40")"), received_at),
        at("iso_local_time_with_fraction", with_ts(R"("2026-11-18 12:06:40.5")"), received_at),
        // Keys: any case (Tasmota "Time"), and Zigbee2MQTT's last_seen.
        at("key_tasmota_Time", with_field("Time", R"("2026-11-18T12:06:40+01:00")"),
           1795000000000),
        at("key_upper_case_TS", with_field("TS", "1795000000123"), t0),
        at("key_last_seen_iso_local_offset",
           with_field("last_seen", R"("2026-11-18T12:06:40.123+01:00")"), t0),
        at("key_last_seen_epoch_ms", with_field("last_seen", "1795000000123"), t0),
        at("key_last_seen_null_uses_receive_time", with_field("last_seen", "null"), received_at),
        at("time_beats_last_seen",
           R"({"sensorId":"s","value":1,"last_seen":5,"time":1795000000123})", t0),
    };
}

class timestamp_accepts : public ::testing::TestWithParam<accept_case> {};
TEST_P(timestamp_accepts, as_ms) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, timestamp_accepts, ::testing::ValuesIn(accept_cases()),
                         case_name<accept_case>);

reject_case bad(std::string name, std::string json_value, rr reason = rr::invalid_json) {
    return {std::move(name), "", with_ts(json_value), reason};
}

std::vector<reject_case> reject_cases() {
    return {
        bad("word", R"("yesterday")"),
        bad("empty_string", R"("")"),
        bad("numeric_string", R"("1795000000123")"),
        bad("iso_date_only", R"("2026-11-18")"),
        bad("iso_without_seconds", R"("2026-11-18T11:06Z")"),
        bad("iso_empty_fraction", R"("2026-11-18T11:06:40.Z")"),
        bad("iso_fraction_over_9_digits", R"("2026-11-18T11:06:40.1234567890Z")"),
        bad("iso_month_13", R"("2026-13-01T00:00:00Z")"),
        bad("iso_month_0", R"("2026-00-01T00:00:00Z")"),
        bad("iso_day_0", R"("2026-11-00T00:00:00Z")"),
        bad("iso_feb_29_not_leap", R"("2023-02-29T00:00:00Z")"),
        bad("iso_feb_29_century", R"("1900-02-29T00:00:00Z")"),
        bad("iso_april_31", R"("2026-04-31T00:00:00Z")"),
        bad("iso_hour_24", R"("2026-11-18T24:00:00Z")"),
        bad("iso_minute_60", R"("2026-11-18T11:60:00Z")"),
        bad("iso_second_61", R"("2026-11-18T11:06:61Z")"),
        bad("iso_offset_hour_24", R"("2026-11-18T11:06:40+24:00")"),
        bad("iso_offset_minute_60", R"("2026-11-18T11:06:40+01:60")"),
        bad("iso_short_year", R"("26-11-18T11:06:40Z")"),
        bad("iso_trailing_text", R"("2026-11-18T11:06:40Zjunk")"),
        bad("iso_leading_space", R"(" 2026-11-18T11:06:40Z")"),
        bad("iso_slashes", R"("2026/11/18T11:06:40Z")"),
        bad("iso_local_hour_24", R"("2026-11-18T24:06:40")"),
        bad("iso_local_feb_30", R"("2026-02-30T12:00:00")"),
        bad("iso_local_without_seconds", R"("2026-11-18T12:06")"),
        bad("iso_local_trailing_space", R"("2026-11-18T12:06:40 ")"),
        bad("iso_dangling_offset_sign", R"("2026-11-18T12:06:40+")"),
        bad("iso_before_epoch", R"("1969-12-31T23:59:59Z")"),
        bad("iso_offset_before_epoch", R"("1970-01-01T00:30:00+01:00")"),
        bad("negative_number", "-5"),
        bad("ms_after_year_9999", "253402300800000"),
        bad("microseconds", "1795000000123000"),
        bad("boolean", "true"),
        bad("object", R"({"s":1})"),
        {"bad_ts_key", "", with_field("ts", R"("soon")"), rr::invalid_json},
        {"bad_time_key", "", with_field("time", "false"), rr::invalid_json},
        {"bad_last_seen_key", "", with_field("last_seen", R"("2 minutes ago")"), rr::invalid_json},
        {"bad_Time_key", "", with_field("Time", R"("12:34")"), rr::invalid_json},
        bad("infinite_number", "1e999", rr::non_finite),
    };
}

class timestamp_rejects : public ::testing::TestWithParam<reject_case> {};
TEST_P(timestamp_rejects, with_reason) { expect_rejected(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, timestamp_rejects, ::testing::ValuesIn(reject_cases()),
                         case_name<reject_case>);

TEST(timestamp, days_from_civil_matches_known_dates) {
    EXPECT_EQ(detail::days_from_civil(1970, 1, 1), 0);
    EXPECT_EQ(detail::days_from_civil(1970, 3, 1), 59);
    EXPECT_EQ(detail::days_from_civil(2000, 3, 1), 11017);
    EXPECT_EQ(detail::days_from_civil(1969, 12, 31), -1);
    EXPECT_EQ(detail::days_from_civil(2026, 11, 18), 20775);
}

TEST(timestamp, epoch_number_threshold_between_seconds_and_ms) {
    EXPECT_EQ(detail::epoch_number_to_ms(99999999999.0), 99999999999000);
    EXPECT_EQ(detail::epoch_number_to_ms(100000000000.0), 100000000000);
    EXPECT_EQ(detail::epoch_number_to_ms(-0.5), std::nullopt);
}

TEST(timestamp, local_time_is_only_the_offset_less_form) {
    EXPECT_TRUE(detail::is_iso8601_local_time("2026-11-18T12:06:40"));
    EXPECT_TRUE(detail::is_iso8601_local_time("2026-11-18T12:06:40.123456"));
    EXPECT_FALSE(detail::is_iso8601_local_time("2026-11-18T12:06:40Z"));
    EXPECT_FALSE(detail::is_iso8601_local_time("2026-11-18T12:06:40+01:00"));
    EXPECT_FALSE(detail::is_iso8601_local_time("2026-11-18"));
    EXPECT_FALSE(detail::is_iso8601_local_time("2026-13-18T12:06:40"));
    EXPECT_EQ(detail::parse_iso8601_ms("2026-11-18T12:06:40"), std::nullopt);
}

TEST(timestamp, senml_times_absolute_or_relative) {
    EXPECT_EQ(detail::senml_time_to_ms(1795000000.5, 7), 1795000000500);
    EXPECT_EQ(detail::senml_time_to_ms(-2.5, received_at), received_at - 2500);
    EXPECT_EQ(detail::senml_time_to_ms(0, received_at), received_at);
    EXPECT_EQ(detail::senml_time_to_ms(1e300, received_at), std::nullopt);
}

}  // namespace
}  // namespace sb::test
