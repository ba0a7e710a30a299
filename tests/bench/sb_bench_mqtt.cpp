// sb-bench-mqtt: the MQTT side of the benchmark harness (tests/bench/README.md).
//   pub: publish bench readings as fast as the socket takes them, or paced
//   sub: one plain subscriber counting readings and latency (the broker-only baseline)
#include <CLI/CLI.hpp>

#include <iostream>

#include "mqtt_pub.hpp"
#include "mqtt_sub.hpp"
#include "tool_support.hpp"

namespace {

void add_broker(CLI::App& cmd, sb::bench::mqtt_endpoint& b) {
    cmd.add_option("--port", b.port, "Broker port")->required()->check(CLI::Range(1, 65535));
    cmd.add_option("--host", b.host, "Broker host")->capture_default_str();
    cmd.add_option("--client-id", b.client_id, "MQTT client id (default: sb-bench-<pub|sub>-<pid>)");
}

void define_pub(CLI::App& pub, sb::bench::pub_options& o) {
    add_broker(pub, o.broker);
    pub.add_option("--sensors", o.sensors, "Sensors to publish for, round-robin")
        ->capture_default_str()->check(CLI::Range(1u, 1000000u));
    auto* count = pub.add_option("--count", o.count, "Readings to publish in all")->check(CLI::Range(1ull, 1ull << 40));
    pub.add_option("--rate", o.rate, "Readings a second (0: as fast as the socket takes them)")
        ->capture_default_str()->check(CLI::Range(0.0, 1e8));
    auto* duration = pub.add_option("--duration-ms", o.duration_ms, "Publish for this long, ms")
        ->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
    pub.add_option("--topic-prefix", o.topic_prefix, "Topic before the sensor id")
        ->capture_default_str()->check(sb::bench::at_most(1024));
    pub.add_option("--id-prefix", o.id_prefix, "Sensor id before its 4-digit index")
        ->capture_default_str()->check(sb::bench::at_most(64));
    pub.add_option("--qos", o.qos, "0 or 1")->capture_default_str()->check(CLI::IsMember({0, 1}));
    pub.add_option("--inflight", o.inflight, "QoS 1: most PUBLISH packets awaiting PUBACK")
        ->capture_default_str()->check(CLI::Range(1u, 60000u));
    pub.add_option("--batch-bytes", o.batch_bytes, "Bytes of PUBLISH packets per socket write")
        ->capture_default_str()->check(CLI::Range(std::size_t{512}, std::size_t{16} << 20));
    pub.callback([count, duration] {
        if (count->count() == 0 && duration->count() == 0) {
            throw CLI::ValidationError("pub needs --count or --duration-ms (or both)");
        }
    });
}

void define_sub(CLI::App& sub, sb::bench::sub_options& o) {
    add_broker(sub, o.broker);
    sub.add_option("--topic", o.topic, "Topic filter to subscribe to (QoS 0)")
        ->capture_default_str()->check(sb::bench::at_most(1024));
    sub.add_option("--expect", o.expect, "Stop after this many readings (0: no such limit)")->capture_default_str();
    sub.add_option("--idle-timeout-ms", o.idle_timeout_ms, "Stop this long after the last reading, ms")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{3600000}));
    sub.add_option("--timeout-ms", o.timeout_ms, "Stop after this long in all, ms")
        ->capture_default_str()->check(CLI::Range(std::int64_t{1}, std::int64_t{86400000}));
}

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"sb-bench-mqtt: raw MQTT 3.1.1 load publisher and baseline subscriber", "sb-bench-mqtt"};
    app.require_subcommand(1);
    sb::bench::pub_options pub_opts;
    sb::bench::sub_options sub_opts;
    CLI::App* pub = app.add_subcommand("pub", "Publish bench readings");
    CLI::App* sub = app.add_subcommand("sub", "Subscribe and measure latency");
    define_pub(*pub, pub_opts);
    define_sub(*sub, sub_opts);
    if (auto code = sb::bench::parse_command_line(app, argc, argv, "sb-bench-mqtt")) return *code;
    if (const std::string limit = sb::bench::raise_fd_limit(16); !limit.empty()) {
        std::cerr << "sb-bench-mqtt: " << limit << "\n";
        return 1;
    }
    try {
        if (pub->parsed()) return sb::bench::mqtt_pub(pub_opts).run();
        return sb::bench::mqtt_sub(sub_opts).run();
    } catch (const std::exception& e) {
        std::cerr << "sb-bench-mqtt: " << e.what() << "\n";
        return 1;
    }
}
