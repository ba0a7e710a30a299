#pragma once
// Table-driven test fixtures for the normalizer: one accepted-case and one rejected-case
// shape, shared by the tests of every payload convention.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/normalizer.hpp"

namespace sb::test {

inline constexpr std::int64_t received_at = 1795000000999;
inline constexpr std::string_view topic = "sensors/test";

struct expected_reading {
    std::string id;
    reading_value value;
    std::string unit;
    std::int64_t timestamp = received_at;
};

struct accept_case {
    std::string name;
    std::string topic_id;
    std::string payload;
    std::vector<expected_reading> readings;
    std::string topic = std::string(test::topic);  // for topic-shaped rules (status, Shelly)
};

struct reject_case {
    std::string name;
    std::string topic_id;
    std::string payload;
    reject_reason reason;
    std::string topic = std::string(test::topic);
};

// Readable names in gtest and ctest output instead of a byte dump.
inline void PrintTo(const accept_case& c, std::ostream* os) { *os << c.name; }
inline void PrintTo(const reject_case& c, std::ostream* os) { *os << c.name; }

inline normalize_result run(std::string_view payload, std::string_view topic_id,
                            const normalize_options& opts = {},
                            std::string_view on_topic = topic) {
    return normalizer(opts).normalize(normalize_input{on_topic, topic_id, payload, received_at});
}

inline void expect_accepted(const accept_case& c, const normalize_options& opts = {}) {
    const normalize_result r = run(c.payload, c.topic_id, opts, c.topic);
    ASSERT_TRUE(r.ok()) << to_string(*r.rejected) << ": " << r.detail;
    EXPECT_TRUE(r.detail.empty());
    EXPECT_FALSE(r.status.has_value());
    ASSERT_EQ(r.readings.size(), c.readings.size());
    for (std::size_t i = 0; i < c.readings.size(); ++i) {
        const reading& got = r.readings[i];
        const expected_reading& want = c.readings[i];
        EXPECT_EQ(got.sensor_id, want.id) << "reading " << i;
        EXPECT_EQ(got.value, want.value) << "reading " << i;
        EXPECT_EQ(got.unit, want.unit) << "reading " << i;
        EXPECT_EQ(got.timestamp, want.timestamp) << "reading " << i;
        EXPECT_EQ(got.received_at, received_at) << "reading " << i;
        EXPECT_EQ(got.topic, c.topic) << "reading " << i;
        EXPECT_EQ(got.seq, 0u) << "reading " << i;
    }
}

inline void expect_rejected(const reject_case& c, const normalize_options& opts = {}) {
    const normalize_result r = run(c.payload, c.topic_id, opts, c.topic);
    ASSERT_FALSE(r.ok()) << "accepted " << r.readings.size() << " reading(s)";
    EXPECT_EQ(to_string(*r.rejected), to_string(c.reason)) << r.detail;
    EXPECT_FALSE(r.detail.empty());
    EXPECT_TRUE(r.readings.empty());
}

template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.name;
}

// ---- one-line renderings of a result, as docs/CONVENTIONS.md shows them ----------------------
//   reading  porch.temperature = 21.6 °C  at 2026-11-18T11:06:40.000Z
//   status   porch online
//   rejected no_value

// The shortest decimal that reads back as the same double (41.2, not 41.200000000000003).
inline std::string render_number(double v) {
    char buf[32];
    if (v == static_cast<double>(static_cast<long long>(v)) && v > -1e15 && v < 1e15) {
        std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
        return buf;
    }
    for (int precision = 1; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (std::strtod(buf, nullptr) == v) break;
    }
    return buf;
}

// ms since the epoch -> "2026-11-18T11:06:40.123Z" (civil_from_days, proleptic Gregorian).
inline std::string render_utc(std::int64_t ms) {
    const std::int64_t z = ms / 86400000 + 719468;
    const std::int64_t of_day = ms % 86400000;
    const std::int64_t era = z / 146097;
    const std::int64_t doe = z - era * 146097;
    const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const std::int64_t mp = (5 * doy + 2) / 153;
    const std::int64_t day = doy - (153 * mp + 2) / 5 + 1;
    const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
    const std::int64_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char buf[128];  // generous: the compiler cannot see the fields are small
    std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ",
                  static_cast<long long>(year), static_cast<long long>(month),
                  static_cast<long long>(day), static_cast<long long>(of_day / 3600000),
                  static_cast<long long>(of_day / 60000 % 60),
                  static_cast<long long>(of_day / 1000 % 60),
                  static_cast<long long>(of_day % 1000));
    return buf;
}

inline std::string render_value(const reading_value& value) {
    return std::visit(
        [](const auto& v) -> std::string {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, double>) return render_number(v);
            if constexpr (std::is_same_v<T, bool>) return v ? "true" : "false";
            if constexpr (std::is_same_v<T, std::string>) return "\"" + v + "\"";
        },
        value);
}

inline std::string render_reading(const reading& r) {
    const std::string unit = r.unit.empty() ? "" : " " + r.unit;
    const std::string at = r.timestamp == r.received_at ? "receive time" : render_utc(r.timestamp);
    return "reading  " + r.sensor_id + " = " + render_value(r.value) + unit + "  at " + at;
}

inline std::vector<std::string> render(const normalize_result& result) {
    if (result.ignored) return {"ignored"};
    if (result.rejected) return {"rejected " + std::string(to_string(*result.rejected))};
    if (result.status) {
        return {"status   " + result.status->sensor_id +
                (result.status->online ? " online" : " offline")};
    }
    std::vector<std::string> lines;
    for (const reading& r : result.readings) lines.push_back(render_reading(r));
    return lines;
}

}  // namespace sb::test
