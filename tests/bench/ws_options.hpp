#pragma once
// Options of sb-bench-ws and the pure decisions made from them: where to connect, from which
// source addresses, and what each client subscribes to.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb::bench {

enum class ws_protocol { bridge, raw, mqtt };
enum class subscribe_mode { all, one, mixed };

struct ws_options {
    std::string url;
    ws_protocol protocol = ws_protocol::bridge;
    std::uint32_t clients = 1;
    subscribe_mode subscribe = subscribe_mode::all;
    std::uint32_t sensors = 1000;
    std::string id_prefix = "b";
    std::string topic_prefix = "sensors/";
    std::string source_addrs = "auto";
    double connect_rate = 2000;
    std::uint64_t expect = 0;
    std::int64_t idle_timeout_ms = 3000;
    std::int64_t timeout_ms = 120000;
    std::int64_t hold_ms = 0;
    unsigned threads = 1;
    std::uint32_t mixed_sensors = 10;      // single sensors per client in `mixed`
    std::uint32_t max_subscriptions = 64;  // the bridge's --max-subscriptions default
    std::uint16_t keepalive_s = 60;        // mqtt: CONNECT keepalive; PINGREQ every half
};

struct ws_url {
    std::string host;  // as written (no brackets)
    std::uint16_t port = 80;
    std::string path = "/";
    std::string host_header;  // host:port for the Host header
};

// ws://host[:port][/path]; nullopt when it is not such a URL.
std::optional<ws_url> parse_ws_url(const std::string& url);

// "A" or "A-B" (IPv4, same first three octets not required; at most 65536 addresses), as
// host-order integers. nullopt when malformed.
std::optional<std::vector<std::uint32_t>> parse_source_range(const std::string& text);

// What client `index` subscribes to: sensor ids, or {"*"} for every sensor.
std::vector<std::string> subscription_plan(const ws_options& o, std::uint32_t index);

}  // namespace sb::bench
