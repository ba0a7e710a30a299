// ha_template: rendering, with the float, int and round filters as Home Assistant defines
// them (its forgiving_float/int/round over Python's float(), int() and round()), and ha_text.
#include "normalize/ha_template.hpp"

#include <rapidjson/document.h>

#include <charconv>
#include <cmath>
#include <cstddef>
#include <utility>

#include "core/json_depth.hpp"
#include "core/json_duplicate_key.hpp"
#include "normalize/ascii.hpp"

namespace sb {
namespace {

using detail::equals_ignoring_case;

// A state payload nested deeper renders undefined: RapidJSON's destructor recurses.
constexpr int max_payload_depth = 32;

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

// The ASCII part of Python's str.strip() set, which float() and int() strip too.
bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r') || (c >= '\x1c' && c <= '\x1f'); }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Python's round(x, digits): to the nearest, ties to even, on the exact binary value (so 2.5 ->
// 2 and 2.675 -> 2.67, as in HA, whose round filter calls it). to_chars with a precision rounds
// exactly so.
double python_round(double x, int digits) {
    char buf[400];  // up to 309 integer digits, the sign, the point and 30 (max_round_digits)
    const auto written = std::to_chars(buf, buf + sizeof buf, x, std::chars_format::fixed, digits);
    if (written.ec != std::errc()) return x;  // not reached with max_round_digits
    double out = x;
    std::from_chars(buf, written.ptr, out);
    return digits == 0 && out == 0 ? 0.0 : out;  // HA makes round(x) an int: no negative zero
}

// Digits with single underscores between them (Python's "1_000"), copied to out without them.
std::size_t digit_run(std::string_view s, std::size_t& pos, std::string& out) {
    std::size_t count = 0;
    while (pos < s.size()) {
        const bool joiner = s[pos] == '_' && count > 0 && pos + 1 < s.size() && is_digit(s[pos + 1]);
        if (!joiner && !is_digit(s[pos])) break;
        if (!joiner) {
            out += s[pos];
            ++count;
        }
        ++pos;
    }
    return count;
}

// Keeps the index-th character of UTF-8 text (Jinja indexes a str by code point); false when
// the text is shorter.
bool keep_code_point(std::string& text, int index) {
    std::size_t begin = std::string::npos;
    int seen = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
        if (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) continue;
        if (begin != std::string::npos) {
            text = text.substr(begin, i - begin);
            return true;
        }
        if (i < text.size() && seen++ == index) begin = i;
    }
    return false;
}

// value_json.x / ['x'] / [0] from one JSON value, as Jinja's getattr/getitem on what Python's
// json.loads built: nothing on a type mismatch. Names are unique (evaluate refuses duplicates).
const rapidjson::Value* child(const rapidjson::Value& v, const std::string& key, int index) {
    if (index >= 0) {
        const bool in_range = v.IsArray() && static_cast<rapidjson::SizeType>(index) < v.Size();
        return in_range ? &v[static_cast<rapidjson::SizeType>(index)] : nullptr;
    }
    if (!v.IsObject()) return nullptr;
    for (const auto& member : v.GetObject()) {
        if (std::string_view(member.name.GetString(), member.name.GetStringLength()) == key) return &member.value;
    }
    return nullptr;
}

std::string number_text(double x) {
    if (std::isnan(x)) return "nan";
    if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
    char buf[400];
    // Integral: all digits and no fraction, like a Python int (so no negative zero either).
    // Else Python's repr: the shortest text that reads back, in exponent form below 1e-4.
    const bool integral = x == std::trunc(x);
    const auto format = integral || std::fabs(x) >= 1e-4 ? std::chars_format::fixed : std::chars_format::scientific;
    const auto written = std::to_chars(buf, buf + sizeof buf, integral && x == 0 ? 0.0 : x, format);
    return std::string(buf, written.ptr);
}

}  // namespace

// Python's float(str): whitespace around, a sign, digits, a fraction, an exponent, or
// inf/infinity/nan in any case. nullopt where Python raises, and (a decision) outside double's
// range, where Python gives inf or 0: neither is a reading.
std::optional<double> ha_template::python_float(std::string_view text) {
    std::string_view s = trim(text);
    const bool negative = !s.empty() && s[0] == '-';
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
    if (equals_ignoring_case(s, "inf") || equals_ignoring_case(s, "infinity")) return negative ? -HUGE_VAL : HUGE_VAL;
    if (equals_ignoring_case(s, "nan")) return std::nan("");
    std::string clean(negative ? "-" : "");
    std::size_t pos = 0;
    std::size_t digits = digit_run(s, pos, clean);
    if (pos < s.size() && s[pos] == '.') {
        clean += s[pos++];
        digits += digit_run(s, pos, clean);
    }
    if (digits == 0) return std::nullopt;
    if (pos < s.size() && (s[pos] == 'e' || s[pos] == 'E')) {
        clean += s[pos++];
        if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) clean += s[pos++];
        if (digit_run(s, pos, clean) == 0) return std::nullopt;
    }
    double out = 0;
    const char* end = clean.data() + clean.size();
    const auto parsed = std::from_chars(clean.data(), end, out);
    if (pos != s.size() || parsed.ec != std::errc() || parsed.ptr != end) return std::nullopt;
    return out;
}

ha_template::value ha_template::render(std::string_view payload) const {
    operand x = evaluate(payload);
    for (const filter& f : filters_) x = apply(f, x);
    if (x.opaque) return undefined{};
    // HA strips what a template renders (Python's str.strip(), here its ASCII part): a payload
    // " on\n" through {{ value }} compares as "on".
    if (auto* s = std::get_if<std::string>(&x.v)) *s = std::string(trim(*s));
    return std::move(x.v);
}

ha_template::operand ha_template::evaluate(std::string_view payload) const {
    if (!json_) return {std::string(payload)};
    // Like HA's json.loads: trailing text, NaN and bad UTF-8 are not JSON.
    if (json_exceeds_depth(payload, max_payload_depth)) return {};
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag>(payload.data(), payload.size());
    // A name twice is malformed, as in every JSON input (core/json_duplicate_key.hpp), where
    // HA's json.loads would take the last: the template gives nothing.
    if (doc.HasParseError() || find_duplicate_key(doc)) return {};
    const rapidjson::Value* v = &doc;
    std::size_t i = 0;
    for (; i < path_.size() && v != nullptr && !(v->IsString() && path_[i].index >= 0); ++i) {
        v = child(*v, path_[i].key, path_[i].index);
    }
    if (v == nullptr) return {};
    if (i == path_.size()) {
        if (v->IsNumber()) return {v->GetDouble()};
        if (v->IsBool()) return {v->GetBool()};
        if (v->IsString()) return {std::string(v->GetString(), v->GetStringLength())};
        return {undefined{}, true};
    }
    // Jinja indexes a string by character: value_json.name[0] is its first.
    std::string text(v->GetString(), v->GetStringLength());
    for (; i < path_.size(); ++i) {
        if (path_[i].index < 0 || !keep_code_point(text, path_[i].index)) return {};
    }
    return {std::move(text)};
}

// HA's float, int and round filters. Jinja's Undefined raises inside them, so no default
// applies to a missing member (a decision matching HA: the render fails). A non-finite
// result is undefined: it is no reading.
ha_template::operand ha_template::apply(const filter& f, const operand& in) {
    if (std::holds_alternative<undefined>(in.v) && !in.opaque) return {};
    std::optional<double> x;  // float(in); nullopt where Python raises (as for null, {} and [])
    if (const auto* d = std::get_if<double>(&in.v)) x = *d;
    if (const auto* b = std::get_if<bool>(&in.v)) x = *b ? 1.0 : 0.0;
    if (const auto* s = std::get_if<std::string>(&in.v)) x = python_float(*s);
    const bool takes_default = f.kind != filter_kind::round && f.fallback.has_value();
    if (!x) return takes_default ? operand{*f.fallback} : operand{};
    // int("nan") is a ValueError (the default applies); int("inf") an OverflowError.
    if (std::isnan(*x) && f.kind == filter_kind::to_int && takes_default) return {*f.fallback};
    if (!std::isfinite(*x)) return {};
    switch (f.kind) {
        case filter_kind::to_float: return {*x};
        case filter_kind::to_int: return {std::trunc(*x) == 0 ? 0.0 : std::trunc(*x)};
        case filter_kind::round: return {python_round(*x, f.digits)};
    }
    return {};
}

std::string ha_text(const ha_template::value& v) {
    if (const auto* b = std::get_if<bool>(&v)) return *b ? "True" : "False";
    if (const auto* d = std::get_if<double>(&v)) return number_text(*d);
    if (const auto* s = std::get_if<std::string>(&v)) return *s;
    return {};
}

}  // namespace sb
