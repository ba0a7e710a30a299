// Canonical objects, bare scalars and words, and every rejection rule of the normalizer.
// Timestamps: timestamp_test.cpp; multi-metric objects and SenML: formats_test.cpp.
#include "normalize/normalizer.hpp"

#include <chrono>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;
using rr = reject_reason;

std::string with_value(const std::string& json_value) {
    return R"({"sensorId":"s-1","value":)" + json_value + "}";
}

std::string nested(int depth, const std::string& open, const std::string& inner,
                   const std::string& close) {
    std::string out;
    for (int i = 0; i < depth; ++i) out += open;
    out += inner;
    for (int i = 0; i < depth; ++i) out += close;
    return out;
}

// ---- accepted ------------------------------------------------------------------------------

std::vector<accept_case> accept_cases() {
    const std::string s128(128, 'x');
    const std::string id128(128, 'i');
    return {
        {"canonical_full", "",
         R"({"sensorId":"temp-1","value":25.5,"unit":"°C","timestamp":1795000000123})",
         {{"temp-1", 25.5, "°C", 1795000000123}}},
        {"canonical_minimal", "", R"({"sensorId":"temp-1","value":25.5})", {{"temp-1", 25.5, ""}}},
        {"canonical_id_from_topic", "kitchen.temperature", R"({"value":21})",
         {{"kitchen.temperature", 21.0, ""}}},
        {"canonical_payload_id_beats_topic", "porch", R"({"sensorId":"temp-1","value":1})",
         {{"temp-1", 1.0, ""}}},
        {"canonical_null_id_uses_topic", "porch", R"({"sensorId":null,"value":1})",
         {{"porch", 1.0, ""}}},
        {"canonical_negative_integer", "", with_value("-3"), {{"s-1", -3.0, ""}}},
        {"canonical_exponent", "", with_value("2.5e3"), {{"s-1", 2500.0, ""}}},
        {"canonical_big_integer", "", with_value("12345678901234567890"),
         {{"s-1", 12345678901234567890.0, ""}}},
        {"canonical_true", "", with_value("true"), {{"s-1", true, ""}}},
        {"canonical_false", "", with_value("false"), {{"s-1", false, ""}}},
        {"canonical_string", "", with_value(R"("open")"), {{"s-1", "open"s, ""}}},
        {"canonical_quoted_number_stays_string", "", with_value(R"("21.5")"),
         {{"s-1", "21.5"s, ""}}},
        {"canonical_empty_string", "", with_value(R"("")"), {{"s-1", ""s, ""}}},
        {"canonical_string_128_bytes", "", with_value("\"" + s128 + "\""), {{"s-1", s128, ""}}},
        {"canonical_unicode_escape", "", with_value(R"("caf\u00e9")"), {{"s-1", "café"s, ""}}},
        {"canonical_null_unit", "", R"({"sensorId":"s-1","value":1,"unit":null})",
         {{"s-1", 1.0, ""}}},
        {"canonical_extra_fields_ignored", "", R"({"sensorId":"s-1","value":1,"battery":90})",
         {{"s-1", 1.0, ""}}},
        {"canonical_all_id_chars", "", R"({"sensorId":"a.b_c:d~e-F9","value":1})",
         {{"a.b_c:d~e-F9", 1.0, ""}}},
        {"canonical_id_with_spaces_and_letters", "", R"({"sensorId":"Living Room Sensor.Küche/温度 #1+","value":1})",
         {{"Living Room Sensor.Küche/温度 #1+", 1.0, ""}}},
        {"topic_id_with_spaces", "Living Room Sensor", "21.5", {{"Living Room Sensor", 21.5, ""}}},
        {"canonical_id_128_chars", "", R"({"sensorId":")" + id128 + R"(","value":1})",
         {{id128, 1.0, ""}}},
        {"canonical_whitespace", "", " \n{ \"sensorId\" : \"s-1\" ,\t\"value\" : 2 }\r\n ",
         {{"s-1", 2.0, ""}}},
        {"bare_number", "temp-1", "21.5", {{"temp-1", 21.5, ""}}},
        {"bare_negative_integer", "temp-1", "-3", {{"temp-1", -3.0, ""}}},
        {"bare_number_whitespace", "temp-1", " \n 21.5\t\r\n", {{"temp-1", 21.5, ""}}},
        {"bare_true", "door", "true", {{"door", true, ""}}},
        {"bare_false", "door", "false", {{"door", false, ""}}},
        {"bare_json_string", "door", R"("open")", {{"door", "open"s, ""}}},
        {"bare_word", "door", "open", {{"door", "open"s, ""}}},
        {"bare_word_case_kept", "relay", "ON", {{"relay", "ON"s, ""}}},
        {"bare_word_trailing_newline", "relay", "OFF\n", {{"relay", "OFF"s, ""}}},
        {"bare_words_with_space", "sky", "partly cloudy", {{"sky", "partly cloudy"s, ""}}},
        {"bare_word_with_digits", "mode", "eco2", {{"mode", "eco2"s, ""}}},
        {"payload_at_max_size", "t", std::string(64 * 1024 - 4, ' ') + "21.5", {{"t", 21.5, ""}}},
        {"depth_16_accepted", "", R"({"sensorId":"a","value":1,"x":)" +
                                      nested(15, "[", "0", "]") + "}",
         {{"a", 1.0, ""}}},
    };
}

class normalizer_accepts : public ::testing::TestWithParam<accept_case> {};
TEST_P(normalizer_accepts, reading) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, normalizer_accepts, ::testing::ValuesIn(accept_cases()),
                         case_name<accept_case>);

// ---- rejected ------------------------------------------------------------------------------

std::vector<reject_case> reject_cases() {
    const std::string s129(129, 'x');
    return {
        {"empty", "t", "", rr::invalid_json},
        {"whitespace_only", "t", " \r\n\t ", rr::invalid_json},
        {"truncated_object", "", R"({"sensorId":"s-1","value":2)", rr::invalid_json},
        {"truncated_string", "", R"({"sensorId":"s-1","value":"op)", rr::invalid_json},
        {"truncated_number", "t", "21.", rr::invalid_json},
        {"truncated_true", "t", "tru", rr::invalid_json},
        {"truncated_null", "t", "nul", rr::invalid_json},
        {"garbage_symbols", "t", "%$#@!", rr::invalid_json},
        {"garbage_brackets", "t", "{{]", rr::invalid_json},
        {"trailing_garbage_number", "t", "21.5 xyz", rr::invalid_json},
        {"trailing_garbage_object", "", R"({"sensorId":"s-1","value":1}})", rr::invalid_json},
        {"two_values", "t", "1 2", rr::invalid_json},
        // A name twice is malformed at any depth (core/json_duplicate_key.hpp), whatever the
        // convention: RapidJSON would take the first, a browser's JSON.parse the last.
        {"duplicate_value", "", R"({"sensorId":"s-1","value":1,"value":2})", rr::invalid_json},
        {"duplicate_sensor_id", "", R"({"sensorId":"a","sensorId":"b","value":1})", rr::invalid_json},
        {"duplicate_ignored_field", "", R"({"sensorId":"s-1","value":1,"note":1,"note":2})", rr::invalid_json},
        {"duplicate_metric", "t", R"({"temperature":21.5,"temperature":22})", rr::invalid_json},
        {"duplicate_nested", "t", R"({"ENERGY":{"Power":3,"Power":4}})", rr::invalid_json},
        {"duplicate_in_senml_record", "", R"([{"n":"a","v":1,"v":2}])", rr::invalid_json},
        {"numeric_garbage", "t", "12abc", rr::invalid_json},
        {"dotted_numbers", "t", "1.2.3", rr::invalid_json},
        {"hex_number", "t", "0x1F", rr::invalid_json},
        {"single_quotes", "t", "'open'", rr::invalid_json},
        {"word_with_brace", "t", "open}", rr::invalid_json},
        {"unquoted_word_over_128", "t", "a" + s129, rr::invalid_json},
        {"nul_byte_then_garbage", "t", "21.5\0garbage"s, rr::invalid_json},
        {"nan_in_object", "", with_value("NaN"), rr::invalid_json},
        {"infinity_in_object", "", with_value("Infinity"), rr::invalid_json},
        {"bare_nan", "t", "NaN", rr::non_finite},
        {"bare_lowercase_nan", "t", "nan", rr::non_finite},
        {"bare_infinity", "t", "Infinity", rr::non_finite},
        {"bare_negative_inf", "t", "-inf", rr::non_finite},
        {"bare_1e999", "t", "1e999", rr::non_finite},
        {"bare_negative_1e999", "t", "-1e999", rr::non_finite},
        {"value_1e999", "", with_value("1e999"), rr::non_finite},
        {"value_just_over_double_max", "", with_value("1.8e308"), rr::non_finite},
        {"id_with_star", "", R"({"sensorId":"a*b","value":1})", rr::bad_id},
        {"id_with_tab", "", R"({"sensorId":"a\tb","value":1})", rr::bad_id},
        {"id_with_newline", "", R"({"sensorId":"a\nb","value":1})", rr::bad_id},
        {"id_with_del", "", R"({"sensorId":"a\u007fb","value":1})", rr::bad_id},
        {"id_with_c1_control", "", R"({"sensorId":"a\u0085b","value":1})", rr::bad_id},
        {"id_129_bytes_of_umlauts", "", R"({"sensorId":")" + [] {
             std::string s;
             for (int i = 0; i < 64; ++i) s += "\xC3\xBC";
             return s + "x";
         }() + R"(","value":1})", rr::bad_id},
        {"id_empty", "porch", R"({"sensorId":"","value":1})", rr::bad_id},
        {"id_129_chars", "", R"({"sensorId":")" + std::string(129, 'i') + R"(","value":1})",
         rr::bad_id},
        {"id_not_string", "", R"({"sensorId":42,"value":1})", rr::bad_id},
        {"no_id_anywhere", "", R"({"value":1})", rr::bad_id},
        {"bare_without_topic_id", "", "21.5", rr::bad_id},
        {"bare_word_without_topic_id", "", "open", rr::bad_id},
        {"bad_topic_id", "a*b", "21.5", rr::bad_id},
        {"string_129_bytes", "", with_value("\"" + s129 + "\""), rr::bad_string},
        {"bare_string_129_bytes", "t", "\"" + s129 + "\"", rr::bad_string},
        {"unit_129_bytes", "", R"({"sensorId":"s","value":1,"unit":")" + s129 + "\"}",
         rr::bad_string},
        {"unit_not_string", "", R"({"sensorId":"s","value":1,"unit":5})", rr::bad_string},
        {"invalid_utf8_byte", "", with_value("\"\xff\""), rr::bad_string},
        {"invalid_utf8_overlong", "", with_value("\"\xc0\xaf\""), rr::bad_string},
        {"invalid_utf8_truncated_sequence", "", with_value("\"caf\xc3\""), rr::bad_string},
        {"invalid_utf8_in_key", "", "{\"sensorId\":\"s\",\"\xfe\":1,\"value\":1}", rr::bad_string},
        {"lone_surrogate_escape", "", with_value(R"("\ud800")"), rr::bad_string},
        {"nul_escape_in_string", "", with_value(R"("a\u0000b")"), rr::bad_string},
        {"no_value_field", "", R"({"sensorId":"s-1"})", rr::no_value},
        {"value_null", "", with_value("null"), rr::no_value},
        {"value_object", "", with_value(R"({"a":1})"), rr::no_value},
        {"value_array", "", with_value("[1,2]"), rr::no_value},
        {"bare_null", "t", "null", rr::no_value},
        {"too_large_by_one_byte", "t", std::string(64 * 1024 - 3, ' ') + "21.5", rr::too_large},
        {"arrays_17_deep", "t", nested(17, "[", "1", "]"), rr::too_deep},
        {"objects_17_deep", "t", nested(17, R"({"a":)", "1", "}"), rr::too_deep},
        {"arrays_100k_is_too_large_first", "t", std::string(100000, '['), rr::too_large},
        {"arrays_60k_deep", "t", std::string(60000, '['), rr::too_deep},
        {"objects_12k_deep", "t", nested(12000, R"({"a":)", "", ""), rr::too_deep},
    };
}

class normalizer_rejects : public ::testing::TestWithParam<reject_case> {};
TEST_P(normalizer_rejects, with_reason) { expect_rejected(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, normalizer_rejects, ::testing::ValuesIn(reject_cases()),
                         case_name<reject_case>);

// ---- limits and names ----------------------------------------------------------------------

TEST(normalizer, hostile_nesting_is_rejected_quickly) {
    // The payload bound is raised so the depth scan, not the size check, must stop these.
    normalize_options opts;
    opts.max_payload = 1024 * 1024;
    const std::string arrays(100000, '[');
    const std::string objects = nested(100000, R"({"a":)", "", "");
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(run(arrays, "t", opts).rejected, rr::too_deep);
    EXPECT_EQ(run(objects, "t", opts).rejected, rr::too_deep);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
}

TEST(normalizer, options_bound_payload_and_depth) {
    normalize_options opts;
    opts.max_payload = 16;
    opts.max_depth = 2;
    expect_accepted({"at_size", "t", "21.5000000000000", {{"t", 21.5, ""}}}, opts);
    expect_rejected({"over_size", "t", "21.50000000000000", rr::too_large}, opts);
    expect_accepted({"two_deep", "t", R"({"a":{"b":1}})", {{"t.a.b", 1.0, ""}}}, opts);
    expect_rejected({"three_deep", "t", R"({"a":{"b":[1]}})", rr::too_deep}, opts);
}

TEST(normalizer, reason_names_are_snake_case) {
    EXPECT_EQ(to_string(rr::invalid_json), "invalid_json");
    EXPECT_EQ(to_string(rr::too_large), "too_large");
    EXPECT_EQ(to_string(rr::too_deep), "too_deep");
    EXPECT_EQ(to_string(rr::bad_id), "bad_id");
    EXPECT_EQ(to_string(rr::non_finite), "non_finite");
    EXPECT_EQ(to_string(rr::bad_string), "bad_string");
    EXPECT_EQ(to_string(rr::no_value), "no_value");
}

TEST(normalizer_duplicate_keys, are_malformed_json_with_the_name_in_the_detail) {
    const normalize_result r = run(R"({"sensorId":"s-1","value":1,"value":2})", "");
    ASSERT_TRUE(r.rejected.has_value());
    EXPECT_EQ(*r.rejected, rr::invalid_json);
    EXPECT_EQ(r.detail, "duplicate key \"value\"");
    // The fast path must not take the first of two values either.
    normalize_options fast;
    fast.canonical_fast_path = true;
    EXPECT_EQ(run(R"({"value":1,"value":2})", "t", fast).detail, "duplicate key \"value\"");
}


}  // namespace
}  // namespace sb::test
