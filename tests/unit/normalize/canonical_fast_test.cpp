// The canonical fast path (normalize/canonical_fast) against the general RapidJSON path: for
// every payload, the normalizer gives the same result with the fast path on and off, to the
// bit (readings, rejection reason and detail). Also: the fast path does take the common
// canonical shapes, so losing it shows up here and not only in a benchmark.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "normalize/canonical_fast.hpp"
#include "normalize/normalizer.hpp"

namespace sb {
namespace {

constexpr std::int64_t received_at = 1795000000999;

normalize_result run(const std::string& payload, bool fast, const std::string& topic_id = "topic-id") {
    normalize_options o;
    o.canonical_fast_path = fast;
    return normalizer(o).normalize({"sensors/" + topic_id, topic_id, payload, received_at});
}

bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

void expect_same_result(const std::string& payload) {
    const normalize_result fast = run(payload, true);
    const normalize_result general = run(payload, false);
    ASSERT_EQ(fast.ok(), general.ok()) << payload;
    EXPECT_EQ(fast.rejected, general.rejected) << payload;
    EXPECT_EQ(fast.detail, general.detail) << payload;
    ASSERT_EQ(fast.readings.size(), general.readings.size()) << payload;
    for (std::size_t i = 0; i < fast.readings.size(); ++i) {
        const reading& a = fast.readings[i];
        const reading& b = general.readings[i];
        EXPECT_EQ(a.sensor_id, b.sensor_id) << payload;
        ASSERT_EQ(a.value.index(), b.value.index()) << payload;
        if (const double* d = std::get_if<double>(&a.value)) {
            EXPECT_TRUE(same_bits(*d, std::get<double>(b.value))) << payload << ": " << *d << " vs " << std::get<double>(b.value);
        } else {
            EXPECT_EQ(a.value, b.value) << payload;
        }
        EXPECT_EQ(a.unit, b.unit) << payload;
        EXPECT_EQ(a.timestamp, b.timestamp) << payload;
        EXPECT_EQ(a.received_at, b.received_at) << payload;
        EXPECT_EQ(a.topic, b.topic) << payload;
    }
}

bool fast_takes(const std::string& payload) {
    std::vector<reading> out;
    const normalize_input in{"sensors/t", "t", payload, received_at};
    detail::reading_sink sink{in, 256, out};
    return detail::read_canonical_fast(sink) && out.size() == 1;
}

TEST(canonical_fast, takes_the_shapes_sensors_and_the_simulator_send) {
    EXPECT_TRUE(fast_takes(R"({"sensorId":"temp-1","value":21.4,"unit":"°C","timestamp":1795000000123})"));
    EXPECT_TRUE(fast_takes(R"({"sensorId":"b0042","value":1795348809123456,"unit":"us"})"));
    EXPECT_TRUE(fast_takes(R"( { "value" : true } )"));
    EXPECT_TRUE(fast_takes(R"({"value":"open","sensorId":"door.front"})"));
    EXPECT_TRUE(fast_takes(R"({"sensorId":"x","value":-0.25,"timestamp":1795000000.5})"));
}

TEST(canonical_fast, leaves_everything_else_to_the_general_path) {
    for (const char* p : {R"({"sensorId":"a","value":1e3})", R"({"sensorId":"a\u0041","value":1})",
                          R"({"sensorId":"a","value":1,"extra":2})", R"({"sensorId":"a","value":null})",
                          R"({"sensorId":"a","value":1,"value":2})", R"({"sensorId":"a","value":[1]})",
                          R"({"temperature":21.5})", R"([{"n":"a","v":1}])", R"(21.5)", R"({"value":01})",
                          R"({"sensorId":"a","value":1} x)", R"({"sensorId":"bad*id","value":1})",
                          R"({"sensorId":"a","value":1,"Timestamp":5})", R"({"sensorId":"a","value":12345678901234567890})"}) {
        EXPECT_FALSE(fast_takes(p)) << p;
    }
}

TEST(canonical_fast, gives_the_general_paths_result_for_hand_picked_payloads) {
    const std::vector<std::string> payloads{
        R"({"sensorId":"t","value":21.5,"unit":"°C"})",
        R"({"sensorId":"t","value":-0,"unit":""})",
        R"({"sensorId":"t","value":-0.0})",
        R"({"sensorId":"t","value":0.1})",
        R"({"sensorId":"t","value":0.30000000000000004})",
        R"({"sensorId":"t","value":123456789012345.6})",
        R"({"sensorId":"t","value":999999999999999999})",
        R"({"sensorId":"t","value":-999999999999999999})",
        R"({"sensorId":"t","value":9007199254740993})",
        R"({"sensorId":"t","value":1.})",
        R"({"sensorId":"t","value":.5})",
        R"({"sensorId":"t","value":-})",
        R"({"sensorId":"t","value":+1})",
        R"({"sensorId":"t","value":truex})",
        R"({"sensorId":"t","value":tru})",
        R"({"sensorId":"t","value":false,"unit":null})",
        R"({"sensorId":null,"value":1})",
        R"({"value":1})",
        R"({"sensorId":"","value":1})",
        R"({"sensorId":"t","value":"x","unit":"\u00b0C"})",
        "{\"sensorId\":\"t\",\"value\":\"\xff\"}",
        "{\"sensorId\":\"t\",\"value\":\"\xc0\xaf\"}",
        "{\"sensorId\":\"t\",\"value\":\"\xed\xa0\x80\"}",
        "{\"sensorId\":\"t\",\"value\":\"\xf4\x90\x80\x80\"}",
        "{\"sensorId\":\"t\",\"value\":1,\"unit\":\"\xe2\x82\"}",
        "{\"sensorId\":\"t\",\"value\":\"tab\there\"}",
        "{\"sensorId\":\"t\"\n,\r\"value\"\t:\t1}",
        R"({"sensorId":"t","value":")" + std::string(128, 'v') + R"("})",
        R"({"sensorId":"t","value":")" + std::string(129, 'v') + R"("})",
        R"({"sensorId":"t","value":1,"unit":")" + std::string(129, 'u') + R"("})",
        R"({"sensorId":")" + std::string(129, 'i') + R"(","value":1})",
        R"({"sensorId":"t","value":1,"timestamp":0})",
        R"({"sensorId":"t","value":1,"timestamp":-1})",
        R"({"sensorId":"t","value":1,"timestamp":1795000000})",
        R"({"sensorId":"t","value":1,"timestamp":1795000000.123})",
        R"({"sensorId":"t","value":1,"timestamp":999999999999999999})",
        R"({"sensorId":"t","value":1,"timestamp":"2026-12-06T10:00:00Z"})",
        R"({"sensorId":"t","value":1,"timestamp":null})",
        R"({"sensorId":"t","value":1,})",
        R"({"sensorId":"t",,"value":1})",
        R"({"sensorId":"t""value":1})",
        R"({"sensorId" "t","value":1})",
        R"({"sensorId":"t","value":1)",
        R"({})",
        "",
        "   ",
        std::string("{\"sensorId\":\"t\",\"value\":1}\0", 27),
        std::string("{\"sensorId\":\"t\0\",\"value\":1}", 27),
    };
    for (const auto& p : payloads) expect_same_result(p);
}

// Payloads assembled at random from canonical pieces, well-formed and not.
TEST(canonical_fast, gives_the_general_paths_result_for_generated_payloads) {
    std::mt19937_64 rng(20261206);
    const std::vector<std::string> ids{R"("t")", R"("kitchen.temp-1")", R"("")", R"("bad id")", R"("é")", "null", "1",
                                       R"("a\"b")"};
    const std::vector<std::string> units{R"("°C")", R"("W")", R"("")", "null", "5", R"("\n")", "\"\xe2\x82\""};
    const std::vector<std::string> keys{"sensorId", "value", "unit", "timestamp", "ts", "Timestamp", "x", "Value"};
    const std::vector<std::string> spaces{"", " ", "\t", "\n ", "\r\n"};
    auto number = [&] {
        std::string n;
        if (rng() % 3 == 0) n += '-';
        const int digits = 1 + static_cast<int>(rng() % 20);
        for (int i = 0; i < digits; ++i) n += static_cast<char>('0' + rng() % 10);
        if (rng() % 2) {
            n += '.';
            const int frac = static_cast<int>(rng() % 18);
            for (int i = 0; i < frac; ++i) n += static_cast<char>('0' + rng() % 10);
        }
        if (rng() % 8 == 0) n += "e" + std::to_string(static_cast<int>(rng() % 40) - 20);
        return n;
    };
    auto value = [&]() -> std::string {
        switch (rng() % 6) {
            case 0: return "true";
            case 1: return "false";
            case 2: return R"("open")";
            case 3: return "null";
            default: return number();
        }
    };
    int taken = 0;
    for (int n = 0; n < 50000; ++n) {
        std::string p = spaces[rng() % spaces.size()] + "{";
        const int members = static_cast<int>(rng() % 5);
        for (int m = 0; m < members; ++m) {
            if (m > 0) p += ",";
            const std::string& key = rng() % 4 == 0 ? keys[rng() % keys.size()] : keys[static_cast<std::size_t>(m) % 4];
            p += spaces[rng() % spaces.size()] + "\"" + key + "\"" + spaces[rng() % spaces.size()] + ":";
            if (key == "sensorId") {
                p += ids[rng() % ids.size()];
            } else if (key == "unit") {
                p += units[rng() % units.size()];
            } else if (key == "timestamp" || key == "ts" || key == "Timestamp") {
                p += rng() % 5 == 0 ? std::string(R"("2026-12-06T10:00:00+01:00")") : number();
            } else {
                p += value();
            }
        }
        p += spaces[rng() % spaces.size()] + "}";
        if (rng() % 20 == 0) p.resize(rng() % (p.size() + 1));  // truncated
        ASSERT_NO_FATAL_FAILURE(expect_same_result(p));
        taken += fast_takes(p) ? 1 : 0;
    }
    EXPECT_GT(taken, 1500) << "the generator hardly reaches the fast path: the comparison says little";
}

}  // namespace
}  // namespace sb
