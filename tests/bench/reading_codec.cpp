#include "reading_codec.hpp"

#include <cstring>

namespace sb::bench {
namespace {

constexpr std::string_view value_key = "\"value\":";
constexpr std::string_view type_key = "\"type\":\"";

void put(char*& p, std::string_view s) noexcept {
    std::memcpy(p, s.data(), s.size());
    p += s.size();
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }

}  // namespace

std::string sensor_id(const std::string& prefix, std::uint32_t index) {
    char digits[24];
    std::size_t n = write_uint(digits, index);
    std::string id = prefix;
    for (std::size_t pad = n; pad < 4; ++pad) id += '0';
    id.append(digits, n);
    return id;
}

std::size_t write_uint(char* out, std::uint64_t v) noexcept {
    char tmp[20];
    std::size_t n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    for (std::size_t i = 0; i < n; ++i) out[i] = tmp[n - 1 - i];
    return n;
}

std::size_t write_payload(char* out, std::string_view id, std::int64_t value_us) noexcept {
    char* p = out;
    put(p, "{\"sensorId\":\"");
    put(p, id);
    put(p, "\",\"value\":");
    p += write_uint(p, static_cast<std::uint64_t>(value_us < 0 ? 0 : value_us));
    put(p, ",\"unit\":\"us\"}");
    return static_cast<std::size_t>(p - out);
}

bool parse_json_int(std::string_view text, std::int64_t& out) noexcept {
    std::size_t i = 0;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    const bool negative = i < text.size() && text[i] == '-';
    if (negative) ++i;
    std::uint64_t mantissa = 0;
    int digits = 0;
    int exp10 = 0;  // applied to mantissa at the end
    bool any = false;
    auto take = [&](char c, bool fraction) {
        any = true;
        if (digits < 18) {
            mantissa = mantissa * 10 + static_cast<unsigned>(c - '0');
            if (mantissa != 0) ++digits;
            if (fraction) --exp10;
        } else if (!fraction) {
            ++exp10;  // beyond 18 significant digits: keep the magnitude only
        }
    };
    for (; i < text.size() && is_digit(text[i]); ++i) take(text[i], false);
    if (i < text.size() && text[i] == '.') {
        for (++i; i < text.size() && is_digit(text[i]); ++i) take(text[i], true);
    }
    if (!any) return false;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        const bool neg_exp = i < text.size() && text[i] == '-';
        if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
        int e = 0;
        bool exp_digits = false;
        for (; i < text.size() && is_digit(text[i]); ++i) {
            exp_digits = true;
            if (e < 1000) e = e * 10 + (text[i] - '0');
        }
        if (!exp_digits) return false;
        exp10 += neg_exp ? -e : e;
    }
    for (; exp10 < 0 && mantissa != 0; ++exp10) mantissa /= 10;
    for (; exp10 > 0; --exp10) {
        if (mantissa > static_cast<std::uint64_t>(INT64_MAX) / 10) return false;
        mantissa *= 10;
    }
    if (mantissa > static_cast<std::uint64_t>(INT64_MAX)) return false;
    out = negative ? -static_cast<std::int64_t>(mantissa) : static_cast<std::int64_t>(mantissa);
    return true;
}

bool find_value(std::string_view json, std::int64_t& out) noexcept {
    const std::size_t at = json.find(value_key);
    if (at == std::string_view::npos) return false;
    return parse_json_int(json.substr(at + value_key.size()), out);
}

std::string_view frame_type(std::string_view frame) noexcept {
    // The bridge writes "type" first: look there before scanning.
    std::size_t at = frame.size() > 9 && frame.compare(1, type_key.size(), type_key) == 0 ? 1 : frame.find(type_key);
    if (at == std::string_view::npos) return {};
    const std::size_t start = at + type_key.size();
    const std::size_t end = frame.find('"', start);
    if (end == std::string_view::npos) return {};
    return frame.substr(start, end - start);
}

}  // namespace sb::bench
