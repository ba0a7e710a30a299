// Home Assistant value templates: which forms compile, what they render (as HA's Jinja with
// its float/int/round filters would), and ha_text. Mirrors normalize/ha_template*.cpp.
#include "normalize/ha_template.hpp"

#include <charconv>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "normalize_fixtures.hpp"

namespace sb::test {
namespace {

using value = ha_template::value;
const value undefined = ha_template::undefined{};

// One comparable line per value; doubles in shortest round-trip form, so -0 and 0 differ.
std::string show(const value& v) {
    if (const auto* d = std::get_if<double>(&v)) {
        char buf[64];
        return "number " + std::string(buf, std::to_chars(buf, buf + sizeof buf, *d).ptr);
    }
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "bool true" : "bool false";
    if (const auto* s = std::get_if<std::string>(&v)) return "string '" + *s + "'";
    return "undefined";
}

struct render_case {
    std::string name;
    std::string text;
    std::string payload;
    value expected;
};

void PrintTo(const render_case& c, std::ostream* os) { *os << c.name; }

// Every form the header lists, each with a payload that tells a right path from a wrong one.
std::vector<render_case> form_cases() {
    const std::string am = R"({"AM2301":{"Temperature":22.5,"Humidity":40},"Temperature":1})";
    return {
        {"value", "{{ value }}", "21.5 C", std::string("21.5 C")},
        {"value_json_whole", "{{ value_json }}", "21.5", 21.5},
        {"member_no_spaces", "{{value_json.temperature}}", R"({"temperature":21.4,"t":1})", 21.4},
        {"single_quoted_keys", "{{ value_json['AM2301']['Temperature'] }}", am, 22.5},
        {"double_quoted_key", R"({{ value_json["x"] }})", R"({"x":"on","y":"off"})", std::string("on")},
        {"nested_members", "{{ value_json.x.y }}", R"({"x":{"y":7,"z":8},"y":9})", 7.0},
        {"list_index", "{{ value_json.list[0] }}", R"({"list":[3,4]})", 3.0},
        {"list_index_second", "{{ value_json.list[1] }}", R"({"list":[3,4]})", 4.0},
        {"list_index_by_dot", "{{ value_json.list.1 }}", R"({"list":[3,4]})", 4.0},
        {"tasmota_mixed_path", "{{value_json['AM2301'].Temperature}}", am, 22.5},
        {"key_with_space", "{{ value_json['Living Room'] }}", R"({"Living Room":5})", 5.0},
        {"filter_float", "{{ value_json.t | float }}", R"({"t":"21.5"})", 21.5},
        {"filter_int_no_spaces", "{{ value_json.t|int }}", R"({"t":21.7})", 21.0},
        {"filter_round_1", "{{ value_json.t | round(1) }}", R"({"t":21.456})", 21.5},
        {"filter_round", "{{ value_json.t | round }}", R"({"t":21.6})", 22.0},
        {"filter_float_default", "{{ value_json.t | float(0) }}", R"({"t":"abc"})", 0.0},
        {"filter_float_default_keyword", "{{ value_json.t | float(default=-1) }}", R"({"t":"abc"})", -1.0},
        {"filter_int_default", "{{ value_json.t | int(5) }}", R"({"t":"abc"})", 5.0},
        {"filter_chain", "{{ value_json.t | float | round(2) }}", R"({"t":"21.456"})", 21.46},
        {"filter_chain_round_int", "{{ value_json.t | round | int }}", R"({"t":2.7})", 3.0},
        {"whitespace_around_braces", "  {{ value_json.t }}\n", R"({"t":1})", 1.0},
        {"whitespace_everywhere", "{{value_json . t [ 0 ] | round ( 1 ) }}", R"({"t":[1.25]})", 1.2},
        {"value_through_float", "{{ value | float }}", " 21.5\n", 21.5},
    };
}

class ha_template_forms : public ::testing::TestWithParam<render_case> {};

TEST_P(ha_template_forms, compile_and_render) {
    const render_case& c = GetParam();
    std::string why;
    const std::optional<ha_template> t = ha_template::compile(c.text, why);
    ASSERT_TRUE(t.has_value()) << why;
    EXPECT_EQ(show(t->render(c.payload)), show(c.expected));
}

INSTANTIATE_TEST_SUITE_P(cases, ha_template_forms, ::testing::ValuesIn(form_cases()), case_name<render_case>);

struct refusal_case {
    std::string name;
    std::string text;
    std::string why_contains;
};

void PrintTo(const refusal_case& c, std::ostream* os) { *os << c.name; }

std::vector<refusal_case> refusal_cases() {
    return {
        {"statement_if", "{% if value_json.x %}on{% endif %}", "statements"},
        {"inline_if", "{{ value_json.x if value_json.x is defined else 0 }}", "'if'"},
        {"arithmetic", "{{ value_json.x * 10 }}", "'*'"},
        {"other_filter", "{{ value | lower }}", "lower"},
        {"text_before", "abc {{ value }}", "outside"},
        {"text_after", "{{ value }} C", "outside"},
        {"two_expressions", "{{ value }}{{ value }}", "only one"},
        {"function_call", "{{ states('x') }}", "states"},
        {"unclosed", "{{ value", "unclosed"},
        {"empty", "", "empty"},
        {"only_spaces", "  ", "empty"},
        {"member_of_value", "{{ value.x }}", "value_json"},
        {"dict_method_name", "{{ value_json.items }}", "['items']"},
        {"dunder", "{{ value_json.__class__ }}", "attribute"},
        {"negative_index", "{{ value_json.x[-1] }}", "'-'"},
        {"round_method", "{{ value_json.x | round(1, 'floor') }}", "','"},
        {"default_not_a_number", "{{ value_json.x | float('a') }}", "'''"},
        {"escape_in_key", R"({{ value_json['a\'b'] }})", "escapes"},
        {"unclosed_string", "{{ value_json['a }}", "unclosed string"},
        {"whitespace_control", "{{- value -}}", "'-'"},
        {"comment", "{# note #}{{ value }}", "outside"},
        {"round_too_many_digits", "{{ value_json.x | round(31) }}", "30"},
    };
}

class ha_template_refusals : public ::testing::TestWithParam<refusal_case> {};

TEST_P(ha_template_refusals, say_why) {
    const refusal_case& c = GetParam();
    std::string why;
    EXPECT_FALSE(ha_template::compile(c.text, why).has_value());
    EXPECT_NE(why.find(c.why_contains), std::string::npos) << "why: " << why;
}

INSTANTIATE_TEST_SUITE_P(cases, ha_template_refusals, ::testing::ValuesIn(refusal_cases()),
                         case_name<refusal_case>);

std::vector<render_case> render_cases() {
    return {
        {"json_number", "{{ value_json.t }}", R"({"t":21.5})", 21.5},
        {"json_true", "{{ value_json.on }}", R"({"on":true})", true},
        {"json_false", "{{ value_json.on }}", R"({"on":false})", false},
        {"json_string", "{{ value_json.s }}", R"({"s":"abc"})", std::string("abc")},
        {"json_object", "{{ value_json.o }}", R"({"o":{"a":1}})", undefined},
        {"json_array", "{{ value_json.o }}", R"({"o":[1]})", undefined},
        {"json_null", "{{ value_json.o }}", R"({"o":null})", undefined},
        {"missing_key", "{{ value_json.x }}", R"({"t":1})", undefined},
        {"index_out_of_range", "{{ value_json.l[2] }}", R"({"l":[1,2]})", undefined},
        {"key_on_a_list", "{{ value_json.l.x }}", R"({"l":[1,2]})", undefined},
        {"not_json", "{{ value_json.t }}", "abc", undefined},
        {"trailing_text_is_not_json", "{{ value_json }}", "21.5 C", undefined},
        {"json_nan_is_not_json", "{{ value_json }}", "NaN", undefined},
        {"empty_payload", "{{ value_json }}", "", undefined},
        {"too_deep", "{{ value_json }}", std::string(40, '[') + std::string(40, ']'), undefined},
        {"duplicate_key_is_malformed", "{{ value_json.t }}", R"({"t":1,"t":2})", undefined},
        {"nested_duplicate_key_is_malformed", "{{ value_json.t }}", R"({"t":1,"o":{"a":1,"a":1}})", undefined},
        {"string_index_is_a_character", "{{ value_json.s[1] }}", R"({"s":"héllo"})", std::string("é")},
        {"value_is_raw_text", "{{ value }}", R"({"t": 1})", std::string(R"({"t": 1})")},
        {"value_is_stripped_like_ha", "{{ value }}", " on\r\n", std::string("on")},
        {"json_string_is_stripped", "{{ value_json.s }}", R"({"s":" a b\t"})", std::string("a b")},
        {"float_of_text", "{{ value | float }}", "21.5", 21.5},
        {"float_of_underscored_text", "{{ value | float }}", "1_000.5", 1000.5},
        {"float_of_word", "{{ value | float }}", "abc", undefined},
        {"float_default_of_word", "{{ value | float(0) }}", "abc", 0.0},
        {"float_of_nan", "{{ value | float }}", "nan", undefined},
        {"float_of_inf", "{{ value | float }}", "inf", undefined},
        {"float_of_minus_infinity", "{{ value | float }}", "-Infinity", undefined},
        {"float_default_of_inf", "{{ value | float(0) }}", "inf", undefined},
        {"float_of_true", "{{ value_json.on | float }}", R"({"on":true})", 1.0},
        {"float_default_of_null", "{{ value_json.x | float(0) }}", R"({"x":null})", 0.0},
        {"float_default_of_missing", "{{ value_json.x | float(0) }}", R"({"t":1})", undefined},
        {"float_of_null", "{{ value_json.x | float }}", R"({"x":null})", undefined},
        {"int_toward_zero", "{{ value_json.t | int }}", R"({"t":21.7})", 21.0},
        {"int_of_negative_text", "{{ value | int }}", "-3.9", -3.0},
        {"int_no_negative_zero", "{{ value | int }}", "-0.5", 0.0},
        {"int_default_of_nan", "{{ value | int(0) }}", "nan", 0.0},
        {"int_of_inf", "{{ value | int(0) }}", "inf", undefined},
        {"round_1", "{{ value_json | round(1) }}", "21.456", 21.5},
        {"round_half_to_even_down", "{{ value_json | round }}", "2.5", 2.0},
        {"round_half_to_even_up", "{{ value_json | round }}", "3.5", 4.0},
        {"round_half_negative", "{{ value_json | round }}", "-2.5", -2.0},
        {"round_binary_value", "{{ value_json | round(2) }}", "2.675", 2.67},
        {"round_no_negative_zero", "{{ value_json | round }}", "-0.4", 0.0},
        {"round_of_text", "{{ value | round(1) }}", "21.456", 21.5},
        {"round_of_word", "{{ value | round }}", "abc", undefined},
    };
}

class ha_template_render : public ::testing::TestWithParam<render_case> {};

TEST_P(ha_template_render, gives_what_ha_would) {
    const render_case& c = GetParam();
    std::string why;
    const std::optional<ha_template> t = ha_template::compile(c.text, why);
    ASSERT_TRUE(t.has_value()) << why;
    EXPECT_EQ(show(t->render(c.payload)), show(c.expected));
}

INSTANTIATE_TEST_SUITE_P(cases, ha_template_render, ::testing::ValuesIn(render_cases()), case_name<render_case>);

// The compiled path, as path_id() joins it for sensor ids.
TEST(ha_template_path, joins_keys_and_indexes) {
    const auto path_of = [](const std::string& text) {
        std::string why;
        const std::optional<ha_template> t = ha_template::compile(text, why);
        return t ? t->path_id() : "<refused: " + why + ">";
    };
    EXPECT_EQ(path_of("{{value_json['AM2301'].Temperature}}"), "AM2301.Temperature");
    EXPECT_EQ(path_of("{{ value_json[\"x\"]['y'] | float }}"), "x.y");
    EXPECT_EQ(path_of("{{ value_json.list[0] }}"), "list.0");
    EXPECT_EQ(path_of("{{ value_json.list.1 }}"), "list.1");
    EXPECT_EQ(path_of("{{ value_json }}"), "");
    EXPECT_EQ(path_of("{{ value | float }}"), "");
}

TEST(ha_text, reads_as_ha_compares) {
    EXPECT_EQ(ha_text(true), "True");
    EXPECT_EQ(ha_text(false), "False");
    EXPECT_EQ(ha_text(1.0), "1");
    EXPECT_EQ(ha_text(-0.0), "0");
    EXPECT_EQ(ha_text(21.5), "21.5");
    EXPECT_EQ(ha_text(0.1), "0.1");
    EXPECT_EQ(ha_text(1.0 / 3.0), "0.3333333333333333");
    EXPECT_EQ(ha_text(0.0001), "0.0001");
    EXPECT_EQ(ha_text(0.00001), "1e-05");
    EXPECT_EQ(ha_text(1e20), "100000000000000000000");
    EXPECT_EQ(ha_text(std::string("ON")), "ON");
    EXPECT_EQ(ha_text(std::string()), "");
    EXPECT_EQ(ha_text(undefined), "");
}

}  // namespace
}  // namespace sb::test
