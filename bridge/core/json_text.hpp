#pragma once
// Writing JSON text into a buffer sized in advance, for the serializers that run once per
// reading (the sensor.reading frame, the history point): the same text rapidjson::Writer
// produces, without a stream call or a capacity check per character. The caller reserves
// what the *_bound() functions say, then writes through a json_sink and cuts the buffer to
// sink.end().
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "core/reading.hpp"

namespace sb {

class json_sink {
public:
    explicit json_sink(char* out) : p_(out) {}

    // Most bytes string(s) or value(v) can write.
    static constexpr std::size_t string_bound(std::size_t length) { return 2 + 6 * length; }
    static std::size_t value_bound(const reading_value& v);
    static constexpr std::size_t number_bound = 32;

    void raw(std::string_view s) {
        std::memcpy(p_, s.data(), s.size());
        p_ += s.size();
    }
    void ch(char c) { *p_++ = c; }

    // A string literal with its quotes: `"` and `\` escaped, control characters as \b \f \n \r
    // \t or \u00XX, everything else (UTF-8 included) as it is, as rapidjson::Writer does.
    void string(std::string_view s);
    void i64(std::int64_t v);
    void u64(std::uint64_t v);
    // As rapidjson::Writer::Double ("21.5", "1e-7", "100000000000000000000.0", Grisu2 digits
    // that read back exactly); null for NaN and infinities, which JSON cannot carry.
    void f64(double v);
    // A reading's value as the wire carries it: whole numbers below 1e15 as integers ("5", not
    // "5.0"), other numbers as f64, booleans, strings.
    void value(const reading_value& v);

    char* end() const noexcept { return p_; }

private:
    char* p_;
};

}  // namespace sb
