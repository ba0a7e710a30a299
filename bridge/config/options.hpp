#pragma once
// Every option of sensor-bridge (docs/CONFIGURATION.md), from the command line, a config file
// (--config, TOML/INI) or SENSOR_BRIDGE_* environment variables.
#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace sb {

// The --topic default: every convention docs/CONVENTIONS.md reads, so devices show up with no
// configuration. The first filter that matches a topic gives its id: the order matters.
inline std::vector<std::string> default_topics() {
    return {"sensors/#",
            "zigbee2mqtt/#",
            "tele/+/SENSOR", "tele/+/STATE", "tele/+/LWT",
            "shellies/#",
            "+/events/rpc", "+/status/+", "+/online",
            "+/sensor/+/state", "+/binary_sensor/+/state", "+/text_sensor/+/state", "+/status",
            "homeassistant/+/+/config", "homeassistant/+/+/+/config"};
}

struct options {
    // MQTT
    std::vector<std::string> mqtt_urls{"tcp://127.0.0.1:1883"};  // tried in order (failover)
    std::string mqtt_client = "auto";   // auto | asio | paho
    std::vector<std::string> topics = default_topics();  // giving any --topic replaces them all
    std::string client_id;              // empty: a random "sensor-bridge-xxxxxxxx"
    std::string mqtt_username;
    std::string mqtt_password_file;     // the password itself is never an option
    // MQTT over TLS (ssl:// or mqtts://): the broker's certificate is verified, host name included
    std::string mqtt_ca;                // CA bundle (PEM); empty: the system's trust store
    std::string mqtt_cert;              // client certificate (PEM), with mqtt_key
    std::string mqtt_key;               // its private key, unencrypted PEM
    std::string dead_letter_topic;      // empty: rejected messages are only counted and logged
    std::uint32_t mqtt_backoff_max_ms = 30000;  // longest wait between reconnect attempts
    std::uint32_t mqtt_batch_us = 500;  // under load, read the broker every this many µs (0: at once)
    // HTTP / WebSocket
    std::string bind = "127.0.0.1";
    std::uint16_t http_port = 8080;     // 0: any free port, logged at start
    std::string web_root;               // empty: the page the bridge was built/installed with
    std::vector<std::string> allowed_origins;
    std::vector<std::string> allowed_hosts;
    std::string tls_cert;               // PEM chain: the port speaks only https:// and wss:// (with tls_key)
    std::string tls_key;                // its private key, unencrypted PEM
    // security (docs/SECURITY.md)
    std::string token_file;             // empty: no authentication; the tokens themselves are never options
    std::uint32_t auth_timeout_ms = 5000;        // to send an auth message when the handshake had no token
    std::size_t max_connections_per_ip = 0;      // 0: no limit (every client of a proxy has its address)
    std::uint32_t max_message_rate = 50;         // client messages a second per connection
    std::uint32_t max_message_burst = 100;       // ... at once
    std::uint32_t idle_timeout_ms = 120000;      // nothing heard from a client (message, ping, pong); 0: never
    std::uint32_t handshake_timeout_ms = 5000;   // a whole HTTP request or WebSocket upgrade
    // storage
    std::string db = "bridge.db";
    std::string sync = "normal";                 // normal | full: what a power cut may lose (docs/OPERATIONS.md)
    // limits
    std::size_t max_payload = 64 * 1024;
    std::size_t max_sensors = 10000;
    std::size_t max_readings_per_message = 256;  // more in one message: rejected too_large
    std::size_t max_discovery_bytes = 16 * 1024 * 1024;  // discovery configs held, topics + payloads
    std::size_t history_depth = 512;             // readings kept per sensor, in memory and in SQLite
    std::size_t history_text_bytes = 4096;       // per sensor: the in-memory history's long texts and units
    std::size_t max_subscriptions = 64;          // per connection
    std::size_t max_connections = 1000;
    std::size_t max_buffered_bytes = 4 * 1024 * 1024;  // per connection: high watermark, close 4008
    std::size_t conflate_bytes = 1024 * 1024;    // per connection: low watermark, conflate past it
    std::uint32_t slow_grace_ms = 5000;          // time allowed over the high watermark
    std::size_t max_queued_bytes = 32 * 1024 * 1024;  // all connections together, past 16 KiB each
    std::size_t max_ingest_queue = 100000;       // MQTT messages waiting for the network thread
    std::size_t max_ingest_bytes = 16 * 1024 * 1024;  // their topics and payloads together
    double ping_interval = 30;                   // s between WebSocket protocol pings (--ping-interval)
    std::uint32_t heartbeat_ms = 30000;          // the same in ms, what the endpoint uses (alias --heartbeat-ms)
    std::uint32_t pong_timeout_ms = 10000;
    // staleness
    double stale_factor = 3.0;                   // silent usual intervals before a sensor is stale
    std::uint32_t stale_min_ms = 10000;          // never stale after a shorter silence
    // The time-tiered history (docs/CONFIGURATION.md): durations as parse_duration_ms, the
    // budget as parse_size_bytes (0: no tiered history).
    std::string raw_retention = "48h";
    std::string minute_retention = "90d";
    std::string hour_retention = "730d";
    std::string history_budget = "1GiB";
    std::string max_memory = "512MiB";  // the worst case of the options above must fit (0: no check)
    std::string forget_after = "30d";            // silent this long: forgotten (parse_duration_ms; 0: never)
    // logging
    std::string log_level = "info";
};

enum class parse_outcome { run, exit };

struct parse_result {
    parse_outcome outcome = parse_outcome::run;
    int exit_code = 0;   // with outcome exit: 0 for --help/--version, 2 for a bad option
    options opts;
};

// Parses argv (and the config file / environment). Help and version go to out; a bad option
// prints exactly one line "sensor-bridge: <reason>" to err and yields exit code 2.
parse_result parse_options(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace sb
