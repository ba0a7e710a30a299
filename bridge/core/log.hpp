#pragma once
// Structured one-line logs: `ts level component msg key=value ...` on stderr. Thread-safe.
// SB_LOG writes at most log_site::burst lines a second from one call site; the next line it
// writes after holding some back ends with `suppressed=N`.
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include "core/log_site.hpp"

namespace sb {

enum class log_level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Parses "debug|info|warn|error|off"; false when unknown.
bool parse_log_level(std::string_view text, log_level& out) noexcept;
void set_log_level(log_level level) noexcept;
bool log_enabled(log_level level) noexcept;

// msg is free text; fields are preformatted "key=value" pairs separated by spaces.
void log_line(log_level level, std::string_view component, std::string_view msg,
              std::string_view fields = {}, std::uint64_t suppressed = 0);

// Where lines go (default stderr); for tests.
void set_log_output(std::FILE* out) noexcept;

// Quotes a value for key=value output when it has spaces, quotes, control bytes or bytes that
// are not UTF-8 (written \xNN), and cuts it to max_bytes of input, between characters, so one
// bad input cannot flood the log. Every line log_line writes is valid UTF-8.
std::string log_quote(std::string_view value, std::size_t max_bytes = 64);

}  // namespace sb

#define SB_LOG(level, component, msg, fields)                                                    \
    do {                                                                                         \
        if (::sb::log_enabled(::sb::log_level::level)) {                                         \
            static ::sb::log_site sb_log_site_;                                                  \
            std::uint64_t sb_log_suppressed_ = 0;                                                \
            if (sb_log_site_.admit(sb_log_suppressed_))                                          \
                ::sb::log_line(::sb::log_level::level, component, msg, fields, sb_log_suppressed_); \
        }                                                                                        \
    } while (0)
