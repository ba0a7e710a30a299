#include "core/reading_json.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace sb {
namespace {

reading make(reading_value v, std::string unit = "") {
    reading r;
    r.sensor_id = "temp-1";
    r.value = std::move(v);
    r.unit = std::move(unit);
    r.timestamp = 1795000000123;
    r.received_at = 1795000000130;
    r.seq = 42;
    r.topic = "sensors/temp-1";
    return r;
}

TEST(reading_json, matches_the_contract_example) {
    EXPECT_EQ(reading_to_json(make(25.5, "°C")),
              R"({"sensorId":"temp-1","value":25.5,"unit":"°C","timestamp":1795000000123,)"
              R"("receivedAt":1795000000130,"seq":42,"topic":"sensors/temp-1"})");
}

struct value_case {
    reading_value value;
    const char* json;
};

TEST(reading_json, values_keep_their_type) {
    const value_case cases[] = {
        {21.0, "21"},       {-3.0, "-3"},         {0.1, "0.1"},         {1e20, "100000000000000000000.0"},
        {true, "true"},     {false, "false"},     {std::string("open"), "\"open\""},
        {std::string("a\"b"), R"("a\"b")"},
        {std::numeric_limits<double>::quiet_NaN(), "null"},
    };
    for (const auto& c : cases) {
        std::string json = reading_to_json(make(c.value));
        EXPECT_NE(json.find(std::string("\"value\":") + c.json + ","), std::string::npos) << json;
    }
}

TEST(reading_json, unit_is_omitted_when_empty_and_frame_has_the_envelope) {
    std::string frame = reading_frame_json(make(true));
    EXPECT_EQ(frame.find("\"unit\""), std::string::npos);
    EXPECT_EQ(frame.rfind(R"({"type":"sensor.reading","payload":{"sensorId":"temp-1")", 0), 0u) << frame;
}

TEST(reading_json, gap_frame_marks_the_payload_and_nothing_else) {
    const reading r = make(25.5);
    const std::string plain = reading_frame_json(r);
    const std::string gap = reading_frame_json(r, true);
    EXPECT_EQ(plain.find("gap"), std::string::npos) << plain;
    EXPECT_EQ(gap, plain.substr(0, plain.size() - 2) + R"(,"gap":true}})") << gap;
}

}  // namespace
}  // namespace sb
