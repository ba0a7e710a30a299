// sb-bench-ws: many WebSocket clients counting bench readings (tests/bench/README.md), over
// the bridge's protocol, raw frames (Node-RED `websocket out`) or MQTT over WebSocket.
#include <CLI/CLI.hpp>

#include <iostream>
#include <map>

#include "tool_support.hpp"
#include "ws_bench.hpp"

namespace {

using sb::bench::ws_options;

// --protocol and --subscribe as words, turned into ws_options once parsed.
struct words {
    std::string protocol;
    std::string subscribe = "all";
};

void define(CLI::App& app, ws_options& o, words& w) {
    app.add_option("--url", o.url, "ws://host:port/path")->required()->check([](const std::string& u) {
        return sb::bench::parse_ws_url(u) ? std::string{} : "not a ws://host:port/path URL: " + u;
    });
    app.add_option("--protocol", w.protocol, "bridge, raw or mqtt")->required()
        ->check(CLI::IsMember({"bridge", "raw", "mqtt"}));
    app.add_option("--subscribe", w.subscribe, "all, one or mixed")->capture_default_str()
        ->check(CLI::IsMember({"all", "one", "mixed"}));
    app.add_option("--clients", o.clients, "Connections to open")->capture_default_str()
        ->check(CLI::Range(1u, 1000000u));
    app.add_option("--sensors", o.sensors, "Sensors the publisher cycles over")->capture_default_str()
        ->check(CLI::Range(1u, 1000000u));
    app.add_option("--id-prefix", o.id_prefix, "Sensor id before its 4-digit index")
        ->capture_default_str()->check(sb::bench::at_most(64));
    app.add_option("--topic-prefix", o.topic_prefix, "mqtt: topic before the sensor id")
        ->capture_default_str()->check(sb::bench::at_most(1024));
    app.add_option("--source-addrs", o.source_addrs,
                   "Local IPv4 source addresses A-B to cycle over (auto: 127.0.0.1-127.0.0.40 towards loopback; none)")
        ->capture_default_str()->check([](const std::string& s) {
            return s == "auto" || s == "none" || sb::bench::parse_source_range(s) ? std::string{}
                                                                                  : "not an IPv4 address or range A-B: " + s;
        });
    app.add_option("--connect-rate", o.connect_rate, "New connections a second")->capture_default_str()
        ->check(CLI::Range(1.0, 1e6));
    app.add_option("--expect", o.expect, "Stop once all clients together counted this many readings")
        ->capture_default_str();
    app.add_option("--idle-timeout-ms", o.idle_timeout_ms, "Stop this long after the last reading, ms")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{3600000}));
    app.add_option("--timeout-ms", o.timeout_ms, "Stop after this long in all, ms")->capture_default_str()
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
    app.add_option("--hold-ms", o.hold_ms, "Hold every connection open this long after ready, then report")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
    app.add_option("--threads", o.threads, "io_context threads")->capture_default_str()->check(CLI::Range(1u, 64u));
    app.add_option("--mixed-sensors", o.mixed_sensors, "mixed: single sensors per client (nine in ten clients)")
        ->capture_default_str()->check(CLI::Range(1u, 100000u));
    app.add_option("--max-subscriptions", o.max_subscriptions, "bridge: its per-connection subscription limit")
        ->capture_default_str()->check(CLI::Range(1u, 100000u));
    app.add_option("--keepalive-s", o.keepalive_s, "mqtt: CONNECT keepalive (PINGREQ every half)")
        ->capture_default_str()->check(CLI::Range(2, 65535));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sb-bench-ws: many WebSocket clients counting readings and latency", "sb-bench-ws"};
    ws_options o;
    words w;
    define(app, o, w);
    if (auto code = sb::bench::parse_command_line(app, argc, argv, "sb-bench-ws")) return *code;
    const std::map<std::string, sb::bench::ws_protocol> protocols{
        {"bridge", sb::bench::ws_protocol::bridge}, {"raw", sb::bench::ws_protocol::raw},
        {"mqtt", sb::bench::ws_protocol::mqtt}};
    const std::map<std::string, sb::bench::subscribe_mode> modes{
        {"all", sb::bench::subscribe_mode::all}, {"one", sb::bench::subscribe_mode::one},
        {"mixed", sb::bench::subscribe_mode::mixed}};
    o.protocol = protocols.at(w.protocol);
    o.subscribe = modes.at(w.subscribe);
    if (const std::string limit = sb::bench::raise_fd_limit(std::size_t{o.clients} + 64); !limit.empty()) {
        std::cerr << "sb-bench-ws: --clients " << o.clients << " " << limit << "\n";
        return 1;
    }
    try {
        return sb::bench::ws_bench(o).run();
    } catch (const std::exception& e) {
        std::cerr << "sb-bench-ws: " << e.what() << "\n";
        return 1;
    }
}
