// Readings as the bridge serializes them (core/reading_json) and as the normalizer produces them
// from realistic payloads, validated against sensor-reading.schema.json and the sensor.reading
// frame of ws-server-message.schema.json.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize/normalizer.hpp"
#include "schema_fixtures.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;

constexpr const char* reading_schema = "sensor-reading.schema.json";
constexpr const char* server_schema = "ws-server-message.schema.json";
constexpr const char* reading_frame_schema = "ws-server-message.schema.json#/definitions/reading";

struct reading_case {
    std::string name;
    reading value;
};

void PrintTo(const reading_case& c, std::ostream* os) { *os << c.name; }

reading with(reading r, std::int64_t timestamp, std::uint64_t seq) {
    r.timestamp = timestamp;
    r.seq = seq;
    return r;
}

reading without_topic(reading r) {
    r.topic.clear();
    return r;
}

// 128 bytes of UTF-8 in 64 two-byte characters: the longest string value the normalizer keeps.
std::string two_byte_text() {
    std::string s;
    for (int i = 0; i < 64; ++i) s += "\xC3\xA9";  // é
    return s;
}

const std::vector<reading_case> reading_cases{
    {"number_with_unit", make_reading("temp-1", 25.5, "\xC2\xB0" "C")},
    {"number_without_unit", make_reading("temp-1", 25.5)},
    {"integral_number", make_reading("co2", 412.0, "ppm")},
    {"negative_fraction", make_reading("freezer", -18.25, "Cel")},
    {"huge_number", make_reading("big", 1.7e308)},
    {"tiny_number", make_reading("small", 4.9e-324)},
    {"integral_beyond_int64_fast_path", make_reading("counter", 1e15)},
    {"boolean_true_with_unit", make_reading("door", true, "state")},
    {"boolean_false", make_reading("door", false)},
    {"string_value", make_reading("door", "open"s)},
    {"string_value_with_unit", make_reading("mode", "eco"s, "label")},
    {"empty_string_value", make_reading("note", ""s)},
    {"string_value_128_ascii", make_reading("text", std::string(128, 'x'))},
    {"string_value_128_bytes_utf8", make_reading("text", two_byte_text())},
    {"string_value_with_escapes", make_reading("text", "say \"hi\"\\\n\t"s)},
    {"unit_128_bytes", make_reading("temp-2", 1.0, std::string(128, 'u'))},
    {"id_all_punctuation", make_reading("a.b_c:d~e-f", 1.0)},
    {"id_128_chars", make_reading(std::string(128, 'i'), 1.0)},
    {"id_one_char", make_reading("x", 1.0)},
    {"timestamp_before_1970", with(make_reading("old", 1.0), -86400000, 1)},
    {"seq_zero", with(make_reading("new", 1.0), 0, 0)},
    {"empty_topic", without_topic(make_reading("t", 1.0))},
};

class reading_schema_test : public ::testing::TestWithParam<reading_case> {};

TEST_P(reading_schema_test, reading_conforms) {
    EXPECT_TRUE(conforms(reading_schema, reading_to_json(GetParam().value)));
}

TEST_P(reading_schema_test, reading_frame_conforms) {
    const std::string frame = reading_message_json(GetParam().value);
    EXPECT_TRUE(conforms(reading_frame_schema, frame));
    EXPECT_TRUE(conforms(server_schema, frame));
}

INSTANTIATE_TEST_SUITE_P(schemas, reading_schema_test, ::testing::ValuesIn(reading_cases),
                         case_name<reading_case>);

// --- readings the normalizer makes from what devices publish (docs/CONVENTIONS.md, issue 4) ---

struct payload_case {
    std::string name;
    std::string topic;
    std::string topic_id;  // what the ingest topic filter derives
    std::string payload;
};

void PrintTo(const payload_case& c, std::ostream* os) { *os << c.name; }

const std::vector<payload_case> payload_cases{
    {"canonical", "sensors/temp-1", "temp-1",
     R"({"sensorId":"temp-1","value":25.5,"unit":"°C","timestamp":1795000000123})"},
    {"canonical_id_from_topic_iso_time", "sensors/kitchen/temperature", "kitchen.temperature",
     R"({"value":21,"timestamp":"2026-11-18T11:06:40.250+01:00"})"},
    {"canonical_seconds", "sensors/door", "door", R"({"value":"open","ts":1795000000})"},
    {"canonical_long_unit", "sensors/x", "x",
     R"({"value":1,"unit":")" + std::string(100, 'u') + R"("})"},
    {"bare_number", "sensors/temp-1", "temp-1", "21.5"},
    {"bare_boolean", "sensors/door", "door", "true"},
    {"bare_string", "sensors/door", "door", R"("open")"},
    {"bare_word", "sensors/relay", "relay", "ON"},
    {"senml_pack", "sensors/pack", "pack",
     R"([{"bn":"dev-1.","bt":1795000000,"bu":"Cel","n":"temp","v":21.5},)"
     R"({"n":"hum","u":"%RH","v":40,"t":1},{"n":"door","vb":true},{"n":"state","vs":"open"}])"},
    {"senml_urn_name", "sensors/ow", "ow",
     R"([{"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1}])"},
    {"multi_metric_flat", "sensors/porch", "porch", R"({"temperature":21.5,"humidity":40})"},
    {"multi_metric_nested", "sensors/porch", "porch",
     R"({"env":{"t":1,"h":{"rel":2}},"ok":true,"mode":"eco"})"},
    {"zigbee2mqtt", "zigbee2mqtt/porch", "porch",
     R"({"battery":97,"humidity":41.2,"linkquality":120,"temperature":21.3,"voltage":2995,)"
     R"("occupancy":false,"illuminance_lux":12})"},
    {"tasmota", "tele/kitchen/SENSOR", "kitchen",
     R"({"DS18B20":{"Temperature":21.3},"ENERGY":{"Power":42,"Voltage":229.5},"TempUnit":"C"})"},
    {"shelly_gen1", "shellies/shellyht-1/sensor/temperature", "shellyht-1.sensor.temperature",
     "21.50"},
};

class normalized_schema_test : public ::testing::TestWithParam<payload_case> {};

TEST_P(normalized_schema_test, every_reading_and_frame_conforms) {
    const payload_case& c = GetParam();
    const normalize_result result =
        normalizer().normalize({c.topic, c.topic_id, c.payload, sample_received_at});
    ASSERT_TRUE(result.ok()) << to_string(*result.rejected) << ": " << result.detail;
    ASSERT_FALSE(result.readings.empty());
    std::uint64_t seq = 0;
    for (reading r : result.readings) {
        r.seq = ++seq;  // as the pipeline does
        EXPECT_TRUE(conforms(reading_schema, reading_to_json(r))) << r.sensor_id;
        EXPECT_TRUE(conforms(server_schema, reading_message_json(r))) << r.sensor_id;
    }
}

INSTANTIATE_TEST_SUITE_P(schemas, normalized_schema_test, ::testing::ValuesIn(payload_cases),
                         case_name<payload_case>);

TEST(status_schema_test, status_topics_give_conforming_status_frames) {
    const std::vector<std::pair<std::string, std::string>> inputs{
        {"sensors/temp-1/status", "offline"},
        {"sensors/temp-1/availability", R"({"state":"online"})"},
        {"tele/kitchen/LWT", "Online"},
    };
    for (const auto& [topic, payload] : inputs) {
        // sensors/# and tele/+/LWT style ids: the levels after the filter's fixed part.
        const std::string topic_id = topic.substr(topic.find('/') + 1);
        std::string dotted = topic_id;
        for (char& ch : dotted) ch = ch == '/' ? '.' : ch;
        const normalize_result result =
            normalizer().normalize({topic, dotted, payload, sample_received_at});
        ASSERT_TRUE(result.ok() && result.status) << topic << ": " << result.detail;
        const std::string frame = status_json(result.status->sensor_id,
                                              result.status->online ? "online" : "offline",
                                              sample_received_at);
        EXPECT_TRUE(conforms(server_schema, frame));
        EXPECT_TRUE(conforms("ws-server-message.schema.json#/definitions/status", frame));
    }
}

}  // namespace
}  // namespace sb::test
