#pragma once
// Shared by the libFuzzer targets: invariant checks that abort (libFuzzer then saves the input
// as crash-<sha1>) and the wire-contract check of what the bridge would send.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "schema_set.hpp"

#ifndef SB_SCHEMA_DIR
#error "SB_SCHEMA_DIR must name the schemas/ directory"
#endif

// FUZZ_CHECK(condition, context): context is anything convertible to std::string_view.
#define FUZZ_CHECK(cond, context) \
    ((cond) ? static_cast<void>(0) : ::sb::fuzz::fail(#cond, (context), __FILE__, __LINE__))

namespace sb::fuzz {

[[noreturn]] inline void fail(const char* condition, std::string_view context, const char* file,
                              int line) {
    std::fprintf(stderr, "\nfuzz invariant broken at %s:%d: %s\n  %.*s\n", file, line, condition,
                 static_cast<int>(context.size() > 2000 ? 2000 : context.size()), context.data());
    std::abort();
}

inline test::schema_set& schemas() {
    static test::schema_set set(SB_SCHEMA_DIR);
    return set;
}

// Strict UTF-8: no overlong forms, surrogates or code points past U+10FFFF.
inline bool is_valid_utf8(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto b = static_cast<unsigned char>(s[i]);
        const std::size_t n = b < 0x80            ? 1
                              : (b >> 5) == 0x06  ? 2
                              : (b >> 4) == 0x0E  ? 3
                              : (b >> 3) == 0x1E  ? 4
                                                  : 0;
        if (n == 0 || i + n > s.size()) return false;
        std::uint32_t cp = n == 1 ? b : b & (0x7Fu >> n);
        for (std::size_t k = 1; k < n; ++k) {
            const auto c = static_cast<unsigned char>(s[i + k]);
            if ((c & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (c & 0x3F);
        }
        constexpr std::uint32_t min_for_length[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < min_for_length[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
        i += n;
    }
    return true;
}

// Full precision so a number can be compared with what was serialized.
inline constexpr unsigned wire_parse_flags =
    rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag;

// The frame or body is JSON with valid UTF-8 and conforms to schemas/<schema_ref>; returns it
// parsed for further checks.
inline rapidjson::Document check_wire_json(const std::string& json, std::string_view schema_ref) {
    // A browser fails the whole WebSocket connection on a text frame that is not UTF-8.
    FUZZ_CHECK(is_valid_utf8(json), "not valid UTF-8: " + json);
    rapidjson::Document doc;
    doc.Parse<wire_parse_flags>(json.data(), json.size());
    FUZZ_CHECK(!doc.HasParseError(),
               std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " in " + json);
    const test::validation_result r = schemas().validate(schema_ref, json);
    FUZZ_CHECK(r.valid, r.error + " in " + json);
    return doc;
}

}  // namespace sb::fuzz
