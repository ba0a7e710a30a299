#include "core/json_text.hpp"

#include <rapidjson/internal/dtoa.h>

#include <array>
#include <charconv>
#include <cmath>

namespace sb {
namespace {

// 0: copied as is; otherwise the letter after the backslash ('u': \u00XX).
constexpr std::array<char, 256> escape_table() {
    std::array<char, 256> t{};
    for (int c = 0; c < 0x20; ++c) t[static_cast<std::size_t>(c)] = 'u';
    t['\b'] = 'b';
    t['\f'] = 'f';
    t['\n'] = 'n';
    t['\r'] = 'r';
    t['\t'] = 't';
    t['"'] = '"';
    t['\\'] = '\\';
    return t;
}
constexpr std::array<char, 256> escapes = escape_table();

bool is_whole_number(double d) { return std::isfinite(d) && std::trunc(d) == d && std::fabs(d) < 1e15; }

}  // namespace

std::size_t json_sink::value_bound(const reading_value& v) {
    if (const auto* s = std::get_if<std::string>(&v)) return string_bound(s->size());
    return number_bound;
}

void json_sink::string(std::string_view s) {
    *p_++ = '"';
    for (const char c : s) {
        const char e = escapes[static_cast<unsigned char>(c)];
        if (e == 0) {
            *p_++ = c;
            continue;
        }
        *p_++ = '\\';
        *p_++ = e;
        if (e == 'u') {
            constexpr char hex[] = "0123456789ABCDEF";
            const auto u = static_cast<unsigned char>(c);
            *p_++ = '0';
            *p_++ = '0';
            *p_++ = hex[u >> 4];
            *p_++ = hex[u & 15];
        }
    }
    *p_++ = '"';
}

void json_sink::i64(std::int64_t v) { p_ = std::to_chars(p_, p_ + number_bound, v).ptr; }

void json_sink::u64(std::uint64_t v) { p_ = std::to_chars(p_, p_ + number_bound, v).ptr; }

void json_sink::f64(double v) {
    if (!std::isfinite(v)) {
        raw("null");
        return;
    }
    p_ = rapidjson::internal::dtoa(v, p_);
}

void json_sink::value(const reading_value& v) {
    if (const double* d = std::get_if<double>(&v)) {
        if (is_whole_number(*d)) {
            i64(static_cast<std::int64_t>(*d));
        } else {
            f64(*d);
        }
    } else if (const bool* b = std::get_if<bool>(&v)) {
        raw(*b ? std::string_view("true") : std::string_view("false"));
    } else {
        string(std::get<std::string>(v));
    }
}

}  // namespace sb
