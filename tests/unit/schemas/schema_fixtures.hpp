#pragma once
// Shared helpers of the schema tests: the schemas of this source tree, readings to serialize,
// and gtest assertions that name the failing keyword and pointers.
#include <cstdint>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>

#include <gtest/gtest.h>

#include "core/reading.hpp"
#include "schema_set.hpp"

#ifndef SB_SCHEMA_DIR
#error "SB_SCHEMA_DIR must name the schemas/ directory"
#endif

namespace sb::test {

inline constexpr std::int64_t sample_timestamp = 1795000000123;
inline constexpr std::int64_t sample_received_at = 1795000000130;

inline schema_set& schemas() {
    static schema_set set(SB_SCHEMA_DIR);
    return set;
}

inline reading make_reading(std::string id, reading_value value, std::string unit = {}) {
    reading r;
    r.topic = "sensors/" + id;
    r.sensor_id = std::move(id);
    r.value = std::move(value);
    r.unit = std::move(unit);
    r.timestamp = sample_timestamp;
    r.received_at = sample_received_at;
    r.seq = 42;
    return r;
}

// EXPECT_TRUE(conforms("sensor-reading.schema.json", json)).
inline ::testing::AssertionResult conforms(std::string_view ref, std::string_view json) {
    const validation_result r = schemas().validate(ref, json);
    if (r.valid) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << r.error << "\n  json: " << json;
}

// The document is JSON but breaks the schema; when keyword is given, that keyword must be the
// one that fails, so a test cannot pass for an unrelated reason.
inline ::testing::AssertionResult violates(std::string_view ref, std::string_view json,
                                           std::string_view keyword = {}) {
    const validation_result r = schemas().validate(ref, json);
    if (r.valid) return ::testing::AssertionFailure() << "accepted by " << ref << ": " << json;
    if (r.error.rfind("keyword '", 0) != 0) {
        return ::testing::AssertionFailure() << "not a schema violation: " << r.error;
    }
    if (!keyword.empty() && r.error.find("keyword '" + std::string(keyword) + "'") != 0) {
        return ::testing::AssertionFailure() << "expected keyword '" << keyword << "', got "
                                             << r.error << "\n  json: " << json;
    }
    return ::testing::AssertionSuccess() << r.error;
}

template <typename Case>
std::string case_name(const ::testing::TestParamInfo<Case>& info) {
    return info.param.name;
}

}  // namespace sb::test
