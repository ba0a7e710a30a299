// Payloads that carry several readings: multi-metric objects and SenML packs.
// Mirrors normalize/multi_metric.cpp and normalize/senml.cpp.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;
using rr = reject_reason;

std::string metrics(int count) {
    std::string out = "{";
    for (int i = 0; i < count; ++i) out += (i ? ",\"m" : "\"m") + std::to_string(i) + "\":1";
    return out + "}";
}

std::vector<accept_case> accept_cases() {
    return {
        {"multi_flat", "porch", R"({"temperature":21.5,"humidity":40})",
         {{"porch.temperature", 21.5, ""}, {"porch.humidity", 40.0, ""}}},
        {"multi_nested", "porch", R"({"env":{"t":1,"h":{"rel":2}},"ok":true,"mode":"eco"})",
         {{"porch.env.t", 1.0, ""}, {"porch.env.h.rel", 2.0, ""}, {"porch.ok", true, ""},
          {"porch.mode", "eco"s, ""}}},
        {"multi_timestamp_not_a_metric", "porch", R"({"temperature":21.5,"ts":1795000000})",
         {{"porch.temperature", 21.5, "", 1795000000000}}},
        {"multi_iso_time", "porch", R"({"time":"2026-11-18T11:06:40Z","co2":412})",
         {{"porch.co2", 412.0, "", 1795000000000}}},
        {"multi_nested_time_skipped", "porch", R"({"a":{"time":5,"b":1}})",
         {{"porch.a.b", 1.0, ""}}},
        {"multi_skips_null_and_arrays", "porch", R"({"a":1,"b":null,"c":[1,2]})",
         {{"porch.a", 1.0, ""}}},
        {"multi_without_topic_id", "", R"({"temperature":21.5})", {{"temperature", 21.5, ""}}},
        {"senml_base_fields", "",
         R"([{"bn":"dev-1.","bt":1795000000,"bu":"Cel","n":"temp","v":21.5},)"
         R"({"n":"hum","u":"%RH","v":40,"t":1},{"n":"door","vb":true},{"n":"state","vs":"open"}])",
         {{"dev-1.temp", 21.5, "Cel", 1795000000000}, {"dev-1.hum", 40.0, "%RH", 1795000001000},
          {"dev-1.door", true, "", 1795000000000},
          {"dev-1.state", "open"s, "", 1795000000000}}},
        {"senml_explicit_unit_on_string_kept", "", R"([{"bu":"Cel","n":"mode","u":"x","vs":"a"}])",
         {{"mode", "a"s, "x"}}},
        {"senml_rfc_style_name", "",
         R"([{"bn":"urn:dev:ow:10e2073a01080063:","n":"temp","u":"Cel","v":23.1}])",
         {{"urn:dev:ow:10e2073a01080063:temp", 23.1, "Cel"}}},
        // RFC 8428 §4.5.3: bt + t below 2^28 is relative to "now", the receive time.
        {"senml_relative_time", "", R"([{"n":"x","v":1,"t":-5}])",
         {{"x", 1.0, "", received_at - 5000}}},
        {"senml_no_time_is_now", "", R"([{"n":"x","v":1}])", {{"x", 1.0, ""}}},
        {"senml_small_bt_is_relative", "", R"([{"bt":-60,"n":"x","t":10,"v":1}])",
         {{"x", 1.0, "", received_at - 50000}}},
        {"senml_absolute_bt_relative_t", "", R"([{"bt":1795000000,"n":"x","t":-0.25,"v":1}])",
         {{"x", 1.0, "", 1794999999750}}},
        {"senml_absolute_t_without_bt", "", R"([{"n":"x","t":1795000000.5,"v":1}])",
         {{"x", 1.0, "", 1795000000500}}},
        // RFC 8428 allows '/' in names; ids take '.' instead, leading '/' dropped.
        {"senml_slash_in_name", "", R"([{"bn":"dev/","n":"x","v":1}])", {{"dev.x", 1.0, ""}}},
        {"senml_lwm2m_path", "", R"([{"bn":"/3303/0/","n":"5700","v":22.4}])",
         {{"3303.0.5700", 22.4, ""}}},
        {"senml_slash_only_base_name", "", R"([{"bn":"/","n":"x","v":1}])", {{"x", 1.0, ""}}},
        {"senml_base_value_and_sum", "",
         R"([{"bn":"m.","bv":100,"n":"a","v":1},{"n":"e","bs":10,"s":5}])",
         {{"m.a", 101.0, ""}, {"m.e", 15.0, ""}}},
        {"senml_base_redefined", "", R"([{"bn":"a.","n":"x","v":1},{"bn":"b.","n":"x","v":2}])",
         {{"a.x", 1.0, ""}, {"b.x", 2.0, ""}}},
        {"senml_no_name_uses_topic_id", "porch", R"([{"v":3}])", {{"porch", 3.0, ""}}},
        {"senml_base_only_record_skipped", "", R"([{"bn":"d."},{"n":"x","v":1}])",
         {{"d.x", 1.0, ""}}},
        {"senml_data_value_skipped", "", R"([{"n":"blob","vd":"AAEC"},{"n":"x","v":1}])",
         {{"x", 1.0, ""}}},
    };
}

class formats_accept : public ::testing::TestWithParam<accept_case> {};
TEST_P(formats_accept, readings) { expect_accepted(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, formats_accept, ::testing::ValuesIn(accept_cases()),
                         case_name<accept_case>);

std::vector<reject_case> reject_cases() {
    return {
        {"multi_empty_object", "porch", "{}", rr::no_value},
        {"multi_only_timestamp", "porch", R"({"ts":1795000000})", rr::no_value},
        {"multi_only_nulls", "porch", R"({"a":null,"b":{"c":null}})", rr::no_value},
        // Issue 17: metadata never becomes a sensor; an object with nothing else has no value.
        {"multi_only_a_unit", "x", R"({"unit":"C"})", rr::no_value},
        {"multi_only_ids", "x", R"({"Id":"3C01D607A8C1","SRC":"a","device":{"model":"m"}})", rr::no_value},
        {"multi_nested_only_metadata", "x", R"({"DS18B20":{"Id":"3C01D607A8C1"},"TempUnit":"C"})", rr::no_value},
        {"multi_key_with_star", "porch", R"({"a*b":1})", rr::bad_id},
        {"multi_key_with_tab", "porch", R"({"a\tb":1})", rr::bad_id},
        {"multi_empty_key", "porch", R"({"":1})", rr::bad_id},
        {"multi_one_bad_string", "porch", R"({"a":1,"b":")" + std::string(129, 'x') + "\"}",
         rr::bad_string},
        {"multi_bad_timestamp", "porch", R"({"a":1,"ts":"later"})", rr::invalid_json},
        {"multi_non_finite", "porch", R"({"a":1,"b":1e999})", rr::non_finite},
        {"multi_over_max_readings", "porch", metrics(257), rr::too_large},
        {"senml_empty_pack", "", "[]", rr::no_value},
        {"senml_no_values", "", R"([{"bn":"a."},{"n":"x"}])", rr::no_value},
        {"array_of_numbers_is_not_senml", "", "[1,2]", rr::no_value},
        {"shelly_act_reasons_is_not_senml", "t", R"(["button","sensor"])", rr::no_value},
        {"senml_record_not_object", "", R"([{"n":"x","v":1},5])", rr::invalid_json},
        {"senml_v_not_number", "", R"([{"n":"x","v":"1"}])", rr::invalid_json},
        {"senml_vb_not_bool", "", R"([{"n":"x","vb":1}])", rr::invalid_json},
        {"senml_bn_not_string", "", R"([{"bn":1,"n":"x","v":1}])", rr::invalid_json},
        {"senml_must_understand_field", "", R"([{"n":"x","v":1,"foo_":1}])", rr::invalid_json},
        {"senml_time_out_of_range", "", R"([{"n":"x","v":1,"t":1e300}])", rr::invalid_json},
        {"senml_name_with_star", "", R"([{"bn":"dev*","n":"x","v":1}])", rr::bad_id},
        {"senml_only_slashes_no_topic", "", R"([{"bn":"//","v":1}])", rr::bad_id},
        {"senml_no_name_no_topic", "", R"([{"v":1}])", rr::bad_id},
        {"senml_vs_too_long", "", R"([{"n":"x","vs":")" + std::string(129, 'x') + "\"}]",
         rr::bad_string},
        {"senml_sum_overflows", "", R"([{"n":"x","bv":1.7e308,"v":1.7e308}])", rr::non_finite},
        {"senml_one_bad_record_rejects_pack", "", R"([{"n":"x","v":1},{"n":"a*b","v":2}])",
         rr::bad_id},
    };
}

class formats_reject : public ::testing::TestWithParam<reject_case> {};
TEST_P(formats_reject, with_reason) { expect_rejected(GetParam()); }
INSTANTIATE_TEST_SUITE_P(cases, formats_reject, ::testing::ValuesIn(reject_cases()),
                         case_name<reject_case>);

TEST(formats, max_readings_per_message_is_an_option) {
    normalize_options opts;
    opts.max_readings_per_message = 2;
    expect_accepted({"two", "p", R"({"a":1,"b":2})", {{"p.a", 1.0, ""}, {"p.b", 2.0, ""}}}, opts);
    expect_rejected({"three", "p", R"({"a":1,"b":2,"c":3})", rr::too_large}, opts);
    expect_rejected({"senml_three", "", R"([{"n":"a","v":1},{"n":"b","v":1},{"n":"c","v":1}])",
                     rr::too_large},
                    opts);
    const normalize_result at_default_bound = run(metrics(256), "p");
    ASSERT_TRUE(at_default_bound.ok()) << at_default_bound.detail;
    EXPECT_EQ(at_default_bound.readings.size(), 256u);
    EXPECT_EQ(at_default_bound.readings.back().sensor_id, "p.m255");
}

}  // namespace
}  // namespace sb::test
