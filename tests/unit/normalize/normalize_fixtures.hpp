#pragma once
// Table-driven test fixtures for the normalizer: one accepted-case and one rejected-case
// shape, shared by the tests of every payload convention.
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
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
};

struct reject_case {
    std::string name;
    std::string topic_id;
    std::string payload;
    reject_reason reason;
};

// Readable names in gtest and ctest output instead of a byte dump.
inline void PrintTo(const accept_case& c, std::ostream* os) { *os << c.name; }
inline void PrintTo(const reject_case& c, std::ostream* os) { *os << c.name; }

inline normalize_result run(std::string_view payload, std::string_view topic_id,
                            const normalize_options& opts = {}) {
    return normalizer(opts).normalize(normalize_input{topic, topic_id, payload, received_at});
}

inline void expect_accepted(const accept_case& c, const normalize_options& opts = {}) {
    const normalize_result r = run(c.payload, c.topic_id, opts);
    ASSERT_TRUE(r.ok()) << to_string(*r.rejected) << ": " << r.detail;
    EXPECT_TRUE(r.detail.empty());
    ASSERT_EQ(r.readings.size(), c.readings.size());
    for (std::size_t i = 0; i < c.readings.size(); ++i) {
        const reading& got = r.readings[i];
        const expected_reading& want = c.readings[i];
        EXPECT_EQ(got.sensor_id, want.id) << "reading " << i;
        EXPECT_EQ(got.value, want.value) << "reading " << i;
        EXPECT_EQ(got.unit, want.unit) << "reading " << i;
        EXPECT_EQ(got.timestamp, want.timestamp) << "reading " << i;
        EXPECT_EQ(got.received_at, received_at) << "reading " << i;
        EXPECT_EQ(got.topic, topic) << "reading " << i;
        EXPECT_EQ(got.seq, 0u) << "reading " << i;
    }
}

inline void expect_rejected(const reject_case& c, const normalize_options& opts = {}) {
    const normalize_result r = run(c.payload, c.topic_id, opts);
    ASSERT_FALSE(r.ok()) << "accepted " << r.readings.size() << " reading(s)";
    EXPECT_EQ(to_string(*r.rejected), to_string(c.reason)) << r.detail;
    EXPECT_FALSE(r.detail.empty());
    EXPECT_TRUE(r.readings.empty());
}

template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.name;
}

}  // namespace sb::test
