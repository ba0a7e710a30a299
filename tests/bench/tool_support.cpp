#include "tool_support.hpp"

#include <sys/resource.h>

#include <CLI/CLI.hpp>

#include <cinttypes>
#include <cstdio>
#include <iostream>

namespace sb::bench {

std::optional<int> parse_command_line(CLI::App& app, int argc, char** argv, std::string_view tool) {
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help
        return app.exit(e, std::cout, std::cerr);
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        std::cerr << tool << ": " << what << " (see --help)\n";
        return 2;
    }
    return std::nullopt;
}

std::string raise_fd_limit(std::size_t needed) {
    rlimit lim{};
    if (::getrlimit(RLIMIT_NOFILE, &lim) != 0) return "cannot read the file descriptor limit";
    if (lim.rlim_cur < lim.rlim_max) {
        lim.rlim_cur = lim.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &lim);
        ::getrlimit(RLIMIT_NOFILE, &lim);
    }
    if (lim.rlim_cur != RLIM_INFINITY && needed > lim.rlim_cur) {
        return "needs " + std::to_string(needed) + " file descriptors but the limit is " +
               std::to_string(lim.rlim_cur) + " (hard " + std::to_string(lim.rlim_max) +
               "); raise it with `ulimit -n` first";
    }
    return {};
}

long peak_rss_kib() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;  // KiB on Linux
}

std::function<std::string(const std::string&)> at_most(std::size_t max) {
    return [max](const std::string& s) {
        return s.size() <= max ? std::string{} : "at most " + std::to_string(max) + " characters";
    };
}

void print_ready() {
    std::fputs("ready\n", stdout);
    std::fflush(stdout);
}

void print_summary(const std::string& json_object) {
    std::fputs(json_object.c_str(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void json_line::key(std::string_view k) {
    if (text_.size() > 1) text_ += ',';
    text_ += '"';
    text_.append(k);
    text_ += "\":";
}

json_line& json_line::add(std::string_view k, std::int64_t v) {
    key(k);
    text_ += std::to_string(v);
    return *this;
}

json_line& json_line::add(std::string_view k, std::uint64_t v) {
    key(k);
    text_ += std::to_string(v);
    return *this;
}

json_line& json_line::add(std::string_view k, double v) {
    key(k);
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3f", v);
    text_ += buf;
    return *this;
}

json_line& json_line::add(std::string_view k, std::string_view v) {
    key(k);
    text_ += '"';
    for (char c : v) {
        if (c == '"' || c == '\\') text_ += '\\';
        if (static_cast<unsigned char>(c) >= 0x20) text_ += c;
    }
    text_ += '"';
    return *this;
}

json_line& json_line::raw(std::string_view members) {
    if (members.empty()) return *this;
    if (text_.size() > 1) text_ += ',';
    text_.append(members);
    return *this;
}

}  // namespace sb::bench
