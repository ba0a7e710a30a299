#include "sim_options.hpp"

#include <CLI/CLI.hpp>

#include <unistd.h>

#include <exception>
#include <sstream>
#include <string>

namespace sim {
namespace {

bool is_id_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == ':' || c == '~' || c == '-';
}

// The client id ends up in the will topic, so it must be a valid id (docs/CONVENTIONS.md).
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

// A number in [low, high]. Unlike CLI::Range it refuses "nan", which passes every range
// check since comparisons with NaN are false.
CLI::Validator finite_range(double low, double high) {
    std::ostringstream range;
    range << "[" << low << " - " << high << "]";
    return CLI::Validator(
        [low, high, text = range.str()](std::string& value) -> std::string {
            std::size_t used = 0;
            double number = 0.0;
            try {
                number = std::stod(value, &used);
            } catch (const std::exception&) {
                used = 0;
            }
            if (used != value.size() || !(number >= low && number <= high)) {
                return "'" + value + "' is not a number in " + text;
            }
            return {};
        },
        "FLOAT in " + range.str());
}

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

// Shown after the options by --help.
constexpr const char* k_footer =
    R"(Formats (topic: payload -> ids the bridge makes with its default filters):
  canonical    sensors/temp-1: {"sensorId":"temp-1","value":21.4,"unit":"°C",...} -> temp-1
  bare         sensors/temp-1: 21.4 -> temp-1
  senml        sensors/dev-1: [{"bn":"dev-1:","bt":...,"n":"temp","u":"Cel","v":21.4},...]
               -> dev-1:temp, dev-1:humidity, ...
  multi        sensors/dev-1: {"temperature":21.4,...,"battery":97,"linkquality":120}
               -> dev-1.temperature, dev-1.battery, ...
  shelly-gen2  each device a Shelly, shellyplus1pm-a8032a000001 (power), shellyplusht-...
               (temperature/humidity) or shellyplusi4-... (doors); its topics start with
               its id, not with --topic-prefix. dev-1, dev-3, ...: one NotifyStatus a round,
               <id>/events/rpc: {"src":"<id>","dst":"<id>/events","method":"NotifyStatus",
               "params":{"ts":1795000000.12,"temperature:0":{"id":0,"tC":21.4,"tF":70.5},...}}
               dev-2, dev-4, ...: <id>/status/temperature:0: {"id":0,"tC":21.4,"tF":70.5}
               -> <id>.temperature:0.tC, <id>.humidity:0.rh, <id>.input:0.state (door),
               <id>.switch:0.apower/.voltage/.current/.output (power);
               Shelly has no CO2 sensor: CO2 is published canonical (sensors/co2-3)
  esphome      each device a node esphome-dev-1 (not under --topic-prefix):
               esphome-dev-1/sensor/temperature/state: 21.4 -> esphome-dev-1.temperature
               esphome-dev-1/binary_sensor/door/state: ON (open) -> esphome-dev-1.door
  mixed        each device one of the six, chosen with the seed
Devices group --per-device consecutive sensors. Status (online/offline, retained):
sensors/<sensor>/status, sensors/<device>/status (senml), sensors/<device>/availability
(multi), <id>/online with true/false (shelly-gen2), <node>/status (esphome).
--count counts data messages: a reading for canonical/bare/esphome, a whole device for
senml/multi, a device round (events/rpc) or a component (status/...) for shelly-gen2.
Faults (kind -> bridge reason): malformed -> invalid_json, oversized -> too_large,
non-finite -> non_finite, nested -> too_deep, bad-id -> bad_id, long-string and
bad-utf8 -> bad_string; each printed as "FAULT <kind> -> <topic>" and counted at exit.
A Shelly's bad id goes to "bad*device/events/rpc"; an ESPHome door's faults to its
<node>/sensor/door/state, where the bridge reads them as it reads a bare value.)";

void register_payload_options(CLI::App& app, sim_options& options) {
    app.add_option("--sensors", options.sensors, "number of simulated sensors")
        ->check(CLI::Range(1u, 100000u));
    app.add_option("--rate", options.rate_hz, "readings per second per sensor")
        ->check(finite_range(0.001, 1000.0));
    app.add_option("--format", options.format, "payload format (see below)")
        ->transform(format_check())
        ->type_name("FORMAT")
        ->default_str("canonical");
    app.add_option("--per-device", options.per_device,
                   "sensors per device (dev-1, dev-2, ...) for senml, multi, shelly-gen2, "
                   "esphome and mixed")
        ->check(CLI::Range(1u, 5u));
    app.add_option("--faults", options.fault_rate,
                   "fraction of messages replaced by bad payloads (see below)")
        ->type_name("RATE")
        ->check(finite_range(0.0, 1.0));
    app.add_option("--count", options.count,
                   "data messages to publish, faults included (0 = until signalled)")
        ->check(k_unsigned_check);
    app.add_option("--seed", options.seed, "random seed (same seed, same signals)")
        ->check(k_unsigned_check);
    app.add_option("--topic-prefix", options.topic_prefix, "first topic level(s)")
        ->transform(k_topic_prefix_check);
    app.footer(k_footer);
}

}  // namespace

void register_options(CLI::App& app, sim_options& options) {
    app.option_defaults()->always_capture_default();
    app.set_version_flag("--version", k_version);
    app.add_option("--mqtt-url", options.mqtt_url, "MQTT broker URL")->check(k_url_check);
    register_payload_options(app, options);
    app.add_option("--qos", options.qos, "MQTT QoS of readings")->check(CLI::Range(0, 2));
    app.add_option("--client-id", options.client_id, "MQTT client id (default sensor-sim-<pid>)")
        ->check(k_client_id_check);
    app.add_option("--duration-s", options.duration_s, "stop after this many seconds (0 = never)")
        ->check(finite_range(0.0, 1e9));
    app.add_flag("--quiet,-q", options.quiet, "print only the final summary");
    app.add_option("--max-inflight", options.max_inflight,
                   "unconfirmed publishes allowed before waiting")
        ->check(CLI::Range(std::size_t{1}, std::size_t{100000}));
    app.add_option("--drain-timeout-s", options.drain_timeout_s,
                   "how long to wait for outstanding deliveries at exit")
        ->check(finite_range(0.0, 3600.0));
}

void finalize_options(sim_options& options) {
    if (options.client_id.empty()) {
        options.client_id = "sensor-sim-" + std::to_string(static_cast<long>(::getpid()));
    }
}

}  // namespace sim
