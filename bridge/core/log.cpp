#include "core/log.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

std::atomic<int> current_level{static_cast<int>(log_level::info)};
std::mutex write_mutex;
std::atomic<std::FILE*> output{nullptr};  // nullptr: stderr

const char* level_name(log_level l) {
    switch (l) {
        case log_level::debug: return "debug";
        case log_level::info: return "info";
        case log_level::warn: return "warn";
        case log_level::error: return "error";
        case log_level::off: return "off";
    }
    return "?";
}

void append_byte_escape(std::string& out, unsigned char c) {
    char esc[8];
    std::snprintf(esc, sizeof esc, "\\x%02x", c);
    out.append(esc);
}

// The line as valid UTF-8: each byte that is not part of a UTF-8 character becomes \xNN.
// (log_quote's values are valid already; this catches free text such as library messages.)
void escape_invalid_utf8(std::string& line) {
    if (is_valid_utf8(line)) return;
    std::string out;
    out.reserve(line.size() + 16);
    for (std::size_t i = 0; i < line.size();) {
        const std::size_t len = utf8_char_length(line, i);
        if (len == 0) {
            append_byte_escape(out, static_cast<unsigned char>(line[i]));
            ++i;
        } else {
            out.append(line, i, len);
            i += len;
        }
    }
    line.swap(out);
}

}  // namespace

bool parse_log_level(std::string_view text, log_level& out) noexcept {
    for (auto l : {log_level::debug, log_level::info, log_level::warn, log_level::error, log_level::off}) {
        if (text == level_name(l)) {
            out = l;
            return true;
        }
    }
    return false;
}

void set_log_level(log_level level) noexcept { current_level.store(static_cast<int>(level)); }

bool log_enabled(log_level level) noexcept {
    return static_cast<int>(level) >= current_level.load(std::memory_order_relaxed);
}

void set_log_output(std::FILE* out) noexcept { output.store(out); }

void log_line(log_level level, std::string_view component, std::string_view msg, std::string_view fields,
              std::uint64_t suppressed) {
    using namespace std::chrono;
    auto now = system_clock::now();
    std::time_t secs = system_clock::to_time_t(now);
    auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char ts[64];
    std::snprintf(ts, sizeof ts, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                  tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
    std::string line;
    line.reserve(64 + msg.size() + fields.size());
    line.append(ts).append(" ").append(level_name(level)).append(" ");
    line.append(component).append(" ").append(msg);
    if (!fields.empty()) line.append(" ").append(fields);
    if (suppressed > 0) line.append(" suppressed=").append(std::to_string(suppressed));
    escape_invalid_utf8(line);
    line.push_back('\n');
    std::lock_guard<std::mutex> lock(write_mutex);
    std::FILE* out = output.load();
    std::fwrite(line.data(), 1, line.size(), out ? out : stderr);
}

std::string log_quote(std::string_view value, std::size_t max_bytes) {
    bool needs_quotes = value.empty();
    bool cut = false;
    std::string out;
    for (std::size_t i = 0; i < value.size();) {
        const std::size_t len = utf8_char_length(value, i);
        const std::size_t take = len == 0 ? 1 : len;
        if (i + take > max_bytes) {  // cut between characters: never inside one
            cut = true;
            break;
        }
        const auto c = static_cast<unsigned char>(value[i]);
        if (len > 1) {
            out.append(value, i, len);
        } else if (len == 0) {  // not UTF-8: the byte, escaped
            append_byte_escape(out, c);
            needs_quotes = true;
        } else if (c == '"' || c == '\\') {
            out.push_back('\\');
            out.push_back(static_cast<char>(c));
            needs_quotes = true;
        } else if (c < 0x20 || c == 0x7f) {
            append_byte_escape(out, c);
            needs_quotes = true;
        } else {
            if (c == ' ') needs_quotes = true;
            out.push_back(static_cast<char>(c));
        }
        i += take;
    }
    if (cut) out.append("...");
    return needs_quotes || cut ? "\"" + out + "\"" : out;
}

}  // namespace sb
