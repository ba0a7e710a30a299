#include "wire/reading_json.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <limits>
#include <string>
#include <vector>

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
    std::string frame = reading_message_json(make(true));
    EXPECT_EQ(frame.find("\"unit\""), std::string::npos);
    EXPECT_EQ(frame.rfind(R"({"type":"sensor.reading","payload":{"sensorId":"temp-1")", 0), 0u) << frame;
}

TEST(reading_json, gap_frame_marks_the_payload_and_nothing_else) {
    const reading r = make(25.5);
    const std::string plain = reading_message_json(r);
    const std::string gap = reading_message_json(r, true);
    EXPECT_EQ(plain.find("gap"), std::string::npos) << plain;
    EXPECT_EQ(gap, plain.substr(0, plain.size() - 2) + R"(,"gap":true}})") << gap;
}

TEST(reading_json, discovery_metadata_follows_the_reading_fields) {
    reading r = make(19.5, "°C");
    const std::string plain = reading_message_json(r);
    r.meta = std::make_shared<sensor_meta>(sensor_meta{"Porch Temperature", "temperature", "z_0x1", "Porch"});
    EXPECT_EQ(reading_message_json(r), plain.substr(0, plain.size() - 2) +
                                           R"(,"name":"Porch Temperature","deviceClass":"temperature",)"
                                           R"("device":{"id":"z_0x1","name":"Porch"}}})");
}

TEST(reading_json, a_retained_reading_says_so_and_nothing_else_changes) {
    reading r = make(25.5);
    const std::string plain = reading_message_json(r);
    r.retained = true;
    r.payload_hash = 99;  // not on the wire
    EXPECT_EQ(reading_message_json(r), plain.substr(0, plain.size() - 2) + R"(,"retained":true}})");
}

// reading_message_json is hand-written for speed; reading_to_json goes through rapidjson::Writer.
// The payload of the one must be the other, byte for byte, whatever the reading holds.
TEST(reading_json, the_fast_frame_writer_matches_rapidjson_byte_for_byte) {
    std::vector<reading> cases;
    for (const reading_value& v :
         {reading_value(25.5), reading_value(-0.0), reading_value(0.0), reading_value(21.0), reading_value(-3.0),
          reading_value(0.1 + 0.2), reading_value(1e-7), reading_value(1e15), reading_value(1e15 - 1),
          reading_value(-1e15 + 1), reading_value(1e20), reading_value(1.7976931348623157e308),
          reading_value(5e-324), reading_value(std::numeric_limits<double>::quiet_NaN()),
          reading_value(std::numeric_limits<double>::infinity()), reading_value(true), reading_value(false),
          reading_value(std::string()), reading_value(std::string("open")),
          reading_value(std::string("quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f")),
          reading_value(std::string("ctl \x01\x1f del \x7f utf8 °C 温度 😀"))}) {
        cases.push_back(make(v, "°C"));
    }
    reading odd = make(std::string("x"));
    odd.sensor_id = "a.b:c~d_e-f";
    odd.unit = std::string("\"u\x02");
    odd.topic = "tele/dev \"1\"/SENSOR";
    odd.timestamp = std::numeric_limits<std::int64_t>::min();
    odd.received_at = std::numeric_limits<std::int64_t>::max();
    odd.seq = std::numeric_limits<std::uint64_t>::max();
    cases.push_back(odd);
    reading from_retained = make(7.0);
    from_retained.retained = true;
    cases.push_back(from_retained);
    // Discovery metadata: every field, some, and text that needs escaping.
    for (const sensor_meta& m : {sensor_meta{"Porch Temperature", "temperature", "zigbee2mqtt_0x1", "Porch"},
                                 sensor_meta{"Door", "", "", ""}, sensor_meta{"", "door", "", "Hall \"1\""},
                                 sensor_meta{"", "", "id-only", ""}, sensor_meta{}}) {
        reading described = make(19.5, "°C");
        described.meta = std::make_shared<sensor_meta>(m);
        cases.push_back(described);
    }
    for (const reading& r : cases) {
        const std::string want = R"({"type":"sensor.reading","payload":)" + reading_to_json(r) + "}";
        EXPECT_EQ(reading_message_json(r), want);
        EXPECT_EQ(reading_message_json(r, true), want.substr(0, want.size() - 2) + R"(,"gap":true}})");
    }
}

}  // namespace
}  // namespace sb
