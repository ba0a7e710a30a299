#pragma once
// What both load tools share around the measurement: the command line's error contract,
// the file-descriptor limit, peak RSS, and the stdout protocol (`ready`, one JSON line).
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace CLI {
class App;
}

namespace sb::bench {

// Parses argv into app. nullopt: go on; else the exit code (0 after --help, 2 after a bad
// option, reported as ONE line "<tool>: <reason>" on stderr).
std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, std::string_view tool);

// Raises the soft RLIMIT_NOFILE to the hard limit. Empty when `needed` descriptors fit,
// else the reason (with the limits) to print.
std::string raise_fd_limit(std::size_t needed);

long peak_rss_kib();

// A CLI11 check: text of at most max bytes (topic and id prefixes end up in fixed frames).
std::function<std::string(const std::string&)> at_most(std::size_t max);

// `ready` alone on a line, flushed: the driver starts the publisher on it.
void print_ready();
// The one JSON object on the last line of stdout.
void print_summary(const std::string& json_object);

// A flat JSON object built member by member (values are numbers or plain ASCII strings).
class json_line {
public:
    json_line& add(std::string_view key, std::int64_t v);
    json_line& add(std::string_view key, std::uint64_t v);
    json_line& add(std::string_view key, int v) { return add(key, static_cast<std::int64_t>(v)); }
    json_line& add(std::string_view key, double v);
    json_line& add(std::string_view key, std::string_view v);
    json_line& add(std::string_view key, const char* v) { return add(key, std::string_view(v)); }
    json_line& raw(std::string_view members);  // "k":v,... written as is
    std::string str() const { return text_ + "}"; }

private:
    void key(std::string_view k);
    std::string text_ = "{";
};

}  // namespace sb::bench
