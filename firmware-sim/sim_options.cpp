#include "sim_options.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

namespace sim {
namespace {

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == ':' || c == '~' || c == '-';
}

// The client id ends up in the will topic, so it must be a valid id (DESIGN.md §4).
const CLI::Validator k_client_id_check(
    [](std::string& value) -> std::string {
        if (value.empty() || value.size() > 100) return "client id must be 1-100 characters";
        for (const char c : value) {
            if (!is_id_char(c)) return "client id may only contain [A-Za-z0-9._:~-]";
        }
        return {};
    },
    "ID");

// Prefix levels without wildcards; a trailing '/' is dropped.
const CLI::Validator k_topic_prefix_check(
    [](std::string& value) -> std::string {
        while (!value.empty() && value.back() == '/') value.pop_back();
        if (value.empty()) return "topic prefix must not be empty";
        if (value.find_first_of("+#") != std::string::npos) {
            return "topic prefix must not contain MQTT wildcards";
        }
        return {};
    },
    "TOPIC");

const CLI::Validator k_url_check(
    [](std::string& value) -> std::string {
        for (const char* scheme : {"tcp://", "mqtt://", "ssl://", "mqtts://", "ws://", "wss://"}) {
            if (value.rfind(scheme, 0) == 0 && value.size() > std::string(scheme).size()) {
                return {};
            }
        }
        return "MQTT URL must look like tcp://host:port";
    },
    "URL");

// CLI11 2.1 wraps "-1" into a huge unsigned value; refuse the sign instead.
const CLI::Validator k_unsigned_check(
    [](std::string& value) -> std::string {
        if (value.find('-') != std::string::npos) return "must not be negative";
        return {};
    },
    "");

// Maps a format name to the enum's number, which CLI11 then stores in the enum.
CLI::Validator format_check() {
    std::string names;
    for (const auto& entry : format_names()) names += (names.empty() ? "" : "|") + entry.first;
    return CLI::Validator(
        [names](std::string& value) -> std::string {
            const auto found = format_names().find(value);
            if (found == format_names().end()) {
                return "unknown format '" + value + "' (expected " + names + ")";
            }
            value = std::to_string(static_cast<int>(found->second));
            return {};
        },
        names);
}

}  // namespace

void register_options(CLI::App& app, sim_options& options) {
    app.option_defaults()->always_capture_default();
    app.set_version_flag("--version", k_version);
    app.add_option("--mqtt-url", options.mqtt_url, "MQTT broker URL")->check(k_url_check);
    app.add_option("--sensors", options.sensors, "number of simulated sensors")
        ->check(CLI::Range(1u, 100000u));
    app.add_option("--rate", options.rate_hz, "readings per second per sensor")
        ->check(CLI::Range(0.001, 1000.0));
    app.add_option("--format", options.format, "payload format")
        ->transform(format_check())
        ->type_name("FORMAT")
        ->default_str("canonical");
    app.add_option("--count", options.count, "total readings to publish (0 = until signalled)")
        ->check(k_unsigned_check);
    app.add_option("--qos", options.qos, "MQTT QoS of readings")->check(CLI::Range(0, 2));
    app.add_option("--seed", options.seed, "random seed (same seed, same signals)")
        ->check(k_unsigned_check);
    app.add_option("--topic-prefix", options.topic_prefix, "first topic level(s)")
        ->transform(k_topic_prefix_check);
    app.add_option("--client-id", options.client_id, "MQTT client id (default sensor-sim-<pid>)")
        ->check(k_client_id_check);
    app.add_option("--duration-s", options.duration_s, "stop after this many seconds (0 = never)")
        ->check(CLI::Range(0.0, 1e9));
    app.add_flag("--quiet,-q", options.quiet, "print only the final summary");
    app.add_option("--max-inflight", options.max_inflight,
                   "unconfirmed publishes allowed before waiting")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--drain-timeout-s", options.drain_timeout_s,
                   "how long to wait for outstanding deliveries at exit")
        ->check(CLI::Range(0.0, 3600.0));
}

void finalize_options(sim_options& options) {
    if (options.client_id.empty()) {
        options.client_id = "sensor-sim-" + std::to_string(static_cast<long>(::getpid()));
    }
}

}  // namespace sim
