#include "config/options.hpp"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <type_traits>
#include <vector>

#include "config/memory_model.hpp"
#include "config/option_checks.hpp"
#include "config/ping_interval.hpp"
#include "core/log.hpp"
#include "http/host_check.hpp"
#include "ingest/topic_filter.hpp"

namespace sb {
namespace {

// CLI11 2.1 merges a key's lines only when they follow each other; a key written again further
// down (an operator appending `http-port = 9000` to the packaged file) made a second item, and
// CLI11 keeps the first item of an option already set: the later line was ignored in silence,
// for a repeatable option its values too. Every item of one key is merged into its first, so a
// repeatable option gets all its values and a single one set twice is refused (exit 2, "At Most
// 1 required but received 2").
class merging_config : public CLI::ConfigBase {
public:
    std::vector<CLI::ConfigItem> from_config(std::istream& input) const override {
        std::vector<CLI::ConfigItem> items = CLI::ConfigBase::from_config(input);
        std::vector<CLI::ConfigItem> merged;
        merged.reserve(items.size());
        for (auto& item : items) {
            const bool section_mark = item.name == "++" || item.name == "--";
            auto same = section_mark ? merged.end()
                                     : std::find_if(merged.begin(), merged.end(), [&](const CLI::ConfigItem& m) {
                                           return m.name == item.name && m.parents == item.parents;
                                       });
            if (same == merged.end()) {
                merged.push_back(std::move(item));
            } else {
                same->inputs.insert(same->inputs.end(), item.inputs.begin(), item.inputs.end());
            }
        }
        return merged;
    }
};

// One line of --print-config: the option's key and its current value in the config format.
struct config_entry {
    std::string key;
    std::function<std::string()> value;  // empty optional: printed commented out
    bool secret = false;
};
using config_entries = std::vector<config_entry>;

std::string quoted(const std::string& v) {
    // CLI11 strips one pair of either quote character and unescapes nothing.
    return v.find('"') == std::string::npos ? "\"" + v + "\"" : "'" + v + "'";
}
std::string config_value(const std::string& v) { return quoted(mask_url_password(v)); }
std::string config_value(const std::vector<std::string>& v) {
    std::string out = "[";
    for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + config_value(v[i]);
    return out + "]";
}
std::string config_value(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}
template <class T, class = std::enable_if_t<std::is_integral_v<T>>>
std::string config_value(T v) {
    return std::to_string(v);
}

// A value that is itself a secret (not a path to one) is never printed.
bool is_secret(const std::string& name) {
    const bool names_secret = name.find("password") != std::string::npos || name.find("token") != std::string::npos ||
                              name.find("secret") != std::string::npos;
    const bool is_path = name.size() > 5 && name.compare(name.size() - 5, 5, "-file") == 0;
    return names_secret && !is_path;
}

// Registers opt with its SENSOR_BRIDGE_* environment variable derived from the long name.
template <class T>
CLI::Option* add_unlisted(CLI::App& app, const std::string& name, T& value, const std::string& help) {
    std::string env = "SENSOR_BRIDGE_";
    for (char c : name.substr(2)) env.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(c)));
    return app.add_option(name, value, help)->envname(env)->capture_default_str();
}

// The same, and as an entry of --print-config.
template <class T>
CLI::Option* add(CLI::App& app, config_entries& entries, const std::string& name, T& value, const std::string& help) {
    entries.push_back({name.substr(2), [&value] { return config_value(value); }, is_secret(name)});
    return add_unlisted(app, name, value, help);
}

config_entries define(CLI::App& app, options& o) {
    config_entries entries;
    // SENSOR_BRIDGE_CONFIG names the file when --config does not (checked after parsing).
    const char* env_config = std::getenv("SENSOR_BRIDGE_CONFIG");
    app.set_config("--config", env_config ? env_config : "",
                   "Read options from a TOML or INI file (comments start with ';'; env: SENSOR_BRIDGE_CONFIG)");
    app.add_flag("--print-config", "Print the effective configuration (secrets masked) in the config file format and exit");
    // CLI11 2.1 cuts a config line at the first '#', even inside quotes, and '#' is in most
    // MQTT topic filters: config comments use ';' instead.
    auto format = std::make_shared<merging_config>();
    format->comment(';');
    app.config_formatter(format);
    app.set_version_flag("--version", SENSOR_BRIDGE_VERSION);
    add(app, entries, "--mqtt-url", o.mqtt_urls,
        "MQTT broker URL (tcp://host:port or ssl://host:port); repeatable, at most 8: tried in order, the next "
        "at once when one fails (failover)");
    add(app, entries, "--mqtt-client", o.mqtt_client,
        "MQTT client: asio (lean, plain TCP), paho (Eclipse Paho, TLS too), auto (asio for tcp://, paho for ssl://)")
        ->check(CLI::IsMember({"auto", "asio", "paho"}));
    add(app, entries, "--topic", o.topics, "MQTT topic filter to subscribe to (repeatable)")
        ->check([](const std::string& t) {
            return topic_filter::parse(t) ? std::string{} : "invalid MQTT topic filter '" + t + "'";
        });
    add(app, entries, "--client-id", o.client_id, "MQTT client id (default: random)");
    add(app, entries, "--mqtt-username", o.mqtt_username, "MQTT user name");
    add(app, entries, "--mqtt-password-file", o.mqtt_password_file, "File holding the MQTT password")
        ->check(CLI::ExistingFile);
    add(app, entries, "--mqtt-ca", o.mqtt_ca,
        "CA certificates (PEM) the broker's certificate must chain to, for ssl:// (default: the system's trust store)")
        ->check(CLI::ExistingFile);
    add(app, entries, "--mqtt-cert", o.mqtt_cert, "Client certificate (PEM) for a broker that asks for one (with --mqtt-key)")
        ->check(CLI::ExistingFile);
    add(app, entries, "--mqtt-key", o.mqtt_key, "Private key of --mqtt-cert (PEM, unencrypted)")->check(CLI::ExistingFile);
    add(app, entries, "--dead-letter-topic", o.dead_letter_topic,
        "Republish rejected messages, with the reason, on this MQTT topic")
        ->check([](const std::string& t) {
            return is_valid_topic_name(t) ? std::string{} : "invalid MQTT topic name '" + t + "'";
        });
    add(app, entries, "--mqtt-backoff-max-ms", o.mqtt_backoff_max_ms,
        "Longest wait between MQTT reconnect attempts, ms (the wait starts at 1 s and doubles)")
        ->check(CLI::Range(100, 3600000));
    add(app, entries, "--mqtt-batch-us", o.mqtt_batch_us,
        "Under load (16+ messages a read), read the broker's stream every this many µs, not at every arrival: "
        "less CPU per reading, at most this much added delay (0: off; tcp:// client only)")
        ->check(CLI::Range(0, 100000));
    add(app, entries, "--bind", o.bind, "Address to listen on for HTTP and WebSocket");
    add(app, entries, "--http-port", o.http_port, "HTTP/WebSocket port (0: any free port)");
    add(app, entries, "--web-root", o.web_root, "Folder of the dashboard (default: the built-in page)")
        ->check(CLI::ExistingDirectory);
    add(app, entries, "--allowed-host", o.allowed_hosts,
        "Extra name or address the HTTP port answers to in Host, e.g. gateway.example or *.example.lan; '*': any "
        "(repeatable; docs/SECURITY.md)")
        ->check([](const std::string& h) {
            return valid_host_pattern(h) ? std::string{} : "invalid host '" + h + "' (a name, *.suffix, an address or *)";
        });
    add(app, entries, "--allowed-origin", o.allowed_origins,
        "Extra browser Origin allowed to open /ws and to send DELETE, e.g. https://dash.example:8443 (repeatable)")
        ->check([](const std::string& v) {
            return parse_origin(v) ? std::string{} : "invalid origin '" + v + "' (scheme://host[:port], http or https)";
        });
    add(app, entries, "--tls-cert", o.tls_cert,
        "Certificate chain (PEM) of the HTTP/WebSocket port, which then speaks only https:// and wss:// (with --tls-key)")
        ->check(CLI::ExistingFile);
    add(app, entries, "--tls-key", o.tls_key, "Private key of --tls-cert (PEM, unencrypted)")->check(CLI::ExistingFile);
    add(app, entries, "--token-file", o.token_file,
        "File of accepted tokens and JWT secrets: /ws, /api and /metrics then need one (docs/SECURITY.md)")
        ->check(CLI::ExistingFile);
    add(app, entries, "--auth-timeout-ms", o.auth_timeout_ms,
        "Time a WebSocket without a token in its handshake has to send an auth message, ms")
        ->check(CLI::Range(100, 600000));
    add(app, entries, "--max-connections-per-ip", o.max_connections_per_ip,
        "Most WebSocket connections from one address (0: no limit)")
        ->check(CLI::Range(0, 1000000));
    add(app, entries, "--max-message-rate", o.max_message_rate, "Client messages a second per WebSocket connection")
        ->check(CLI::Range(1, 1000000));
    add(app, entries, "--max-message-burst", o.max_message_burst, "Client messages a connection may send at once")
        ->check(CLI::Range(1, 1000000));
    add(app, entries, "--idle-timeout-ms", o.idle_timeout_ms,
        "Close a WebSocket that sent nothing (message, ping, pong) this long, ms (0: never)")
        ->check(CLI::Range(0, 86400000));
    add(app, entries, "--handshake-timeout-ms", o.handshake_timeout_ms,
        "Time a client has to send a whole HTTP request or WebSocket upgrade, ms")
        ->check(CLI::Range(100, 600000));
    add(app, entries, "--db", o.db, "SQLite file of the latest-value cache");
    add(app, entries, "--sync", o.sync,
        "normal: a power cut may lose the last 10 s of commits; full: no commit, at an fsync per commit")
        ->check(CLI::IsMember({"normal", "full"}));
    add(app, entries, "--max-payload", o.max_payload, "Largest MQTT payload accepted, bytes")
        ->check(CLI::Range(16, 16 * 1024 * 1024));
    add(app, entries, "--max-sensors", o.max_sensors, "Most sensors tracked")->check(CLI::Range(1, 10000000));
    add(app, entries, "--max-readings-per-message", o.max_readings_per_message,
        "Most readings one MQTT message may give (more: the message is rejected too_large)")
        ->check(CLI::Range(1, 65536));
    add(app, entries, "--max-discovery-bytes", o.max_discovery_bytes,
        "Bytes of the Home Assistant discovery configs held (topics and payloads together); past it a new one is rejected too_many_sensors")
        ->check(CLI::Range(std::size_t{65536}, std::size_t{64} * 1024 * 1024 * 1024));
    add(app, entries, "--history-depth", o.history_depth,
        "Recent readings kept per sensor, in memory and in the database (replayed on resume)")
        ->check(CLI::Range(1, 100000));
    add(app, entries, "--history-text-bytes", o.history_text_bytes,
        "Per sensor, bytes of texts (longer than 8 bytes) and units its in-memory history holds; past it its oldest points leave memory")
        ->check(CLI::Range(0, 16 * 1024 * 1024));
    add(app, entries, "--max-subscriptions", o.max_subscriptions, "Most subscriptions per WebSocket connection")
        ->check(CLI::Range(1, 100000));
    add(app, entries, "--max-connections", o.max_connections, "Most WebSocket connections")
        ->check(CLI::Range(1, 1000000));
    add(app, entries, "--max-buffered-bytes", o.max_buffered_bytes,
        "Outbound bytes a connection may owe for --slow-grace-ms (twice this: at once) before it is closed with 4008")
        ->check(CLI::Range(4096, 1024 * 1024 * 1024));
    add(app, entries, "--conflate-bytes", o.conflate_bytes,
        "Outbound bytes queued per connection past which only the newest reading per sensor is kept")
        ->check(CLI::Range(1024, 1024 * 1024 * 1024));
    add(app, entries, "--slow-grace-ms", o.slow_grace_ms, "Time a connection may stay over --max-buffered-bytes, ms")
        ->check(CLI::Range(0, 600000));
    add(app, entries, "--max-queued-bytes", o.max_queued_bytes,
        "Outbound bytes all connections together may owe past 16 KiB each: past it the furthest behind are conflated, past twice it closed with 4008")
        ->check(CLI::Range(std::size_t{65536}, std::size_t{64} * 1024 * 1024 * 1024));
    add(app, entries, "--max-ingest-queue", o.max_ingest_queue, "MQTT messages waiting to be processed, at most")
        ->check(CLI::Range(16, 100000000));
    add(app, entries, "--max-ingest-bytes", o.max_ingest_bytes,
        "Bytes of the MQTT messages waiting to be processed (topics, payloads, ~100 B each), at most")
        ->check(CLI::Range(std::size_t{65536}, std::size_t{64} * 1024 * 1024 * 1024));
    add(app, entries, "--ping-interval", o.ping_interval, "Interval of WebSocket protocol pings, seconds")
        ->check(CLI::Range(0.1, 3600.0));
    // Its earlier name: still read (command line, file, environment), never printed.
    add_unlisted(app, "--heartbeat-ms", o.heartbeat_ms, "Old name of --ping-interval, in ms (not both)")
        ->check(CLI::Range(100, 3600000));
    add(app, entries, "--pong-timeout-ms", o.pong_timeout_ms, "Time a peer has to answer a ping, ms")
        ->check(CLI::Range(100, 600000));
    add(app, entries, "--stale-factor", o.stale_factor,
        "A sensor silent for this many of its usual intervals becomes stale")
        ->check(CLI::Range(1.0, 1000.0));
    add(app, entries, "--stale-min-ms", o.stale_min_ms,
        "Shortest silence that makes a sensor stale, ms (also the bound while its interval is unknown)")
        ->check(CLI::Range(100, 86400000));
    const auto duration_check = [](const std::string& t) {
        return parse_duration_ms(t) ? std::string{} : "expected a duration like 30d, 12h, 90m or 45s, or 0, not '" + t + "'";
    };
    add(app, entries, "--raw-retention", o.raw_retention,
        "Keep every reading this long in the time-tiered history (48h, 7d; 0: none)")
        ->check(duration_check);
    add(app, entries, "--minute-retention", o.minute_retention,
        "Keep per-minute aggregates this long (90d; 0: none)")
        ->check(duration_check);
    add(app, entries, "--hour-retention", o.hour_retention, "Keep per-hour aggregates this long (730d; 0: none)")
        ->check(duration_check);
    add(app, entries, "--history-budget", o.history_budget,
        "Disk the database may use; the oldest raw history goes first, then minutes (1GiB, 64M; 0: no tiered history)")
        ->check([](const std::string& t) {
            const auto n = parse_size_bytes(t);
            if (!n) return "expected a size like 1GiB, 512M or 64M, or 0, not '" + t + "'";
            if (*n != 0 && *n < (std::uint64_t{1} << 20)) return std::string("must be 0 or at least 1M, not '" + t + "'");
            return std::string{};
        });
    add(app, entries, "--max-memory", o.max_memory,
        "Memory the options' worst case must fit in, else exit 2 at start (512MiB, 1G; 0: no check)")
        ->check([](const std::string& t) {
            return parse_size_bytes(t) ? std::string{} : "expected a size like 512MiB, 1G or 2048M, or 0, not '" + t + "'";
        });
    add(app, entries, "--forget-after", o.forget_after,
        "Forget a sensor silent this long: latest value, history, status (30d, 12h, 90m, 45s; 0 or never: keep)")
        ->check([](const std::string& t) {
            return parse_duration_ms(t) ? std::string{} : "expected a duration like 30d, 12h, 90m or 45s, or 0, not '" + t + "'";
        });
    add(app, entries, "--log-level", o.log_level, "debug, info, warn, error or off")
        ->check(CLI::IsMember({"debug", "info", "warn", "error", "off"}));
    return entries;
}

// A client that only answers the protocol pings is heard once per --ping-interval: left unset,
// the idle timeout follows a long heartbeat up. Set shorter on purpose, it suits clients that
// send their own pings (the dashboard does, every heartbeat/2 and at least every 15 s); the
// bridge warns at start.
void settle_idle_timeout(const CLI::App& app, options& o) {
    if (o.idle_timeout_ms == 0 || o.idle_timeout_ms > o.heartbeat_ms) return;
    if (app.get_option("--idle-timeout-ms")->count() == 0) o.idle_timeout_ms = o.heartbeat_ms * 4;
}

// Conflation has to start below the close threshold, or it never gets a chance. Left unset,
// the low watermark follows a small --max-buffered-bytes down (a quarter of it).
std::optional<std::string> settle_watermarks(const CLI::App& app, options& o) {
    if (o.conflate_bytes < o.max_buffered_bytes) return std::nullopt;
    if (app.get_option("--conflate-bytes")->count() == 0) {
        o.conflate_bytes = o.max_buffered_bytes / 4;
        return std::nullopt;
    }
    return "--conflate-bytes (" + std::to_string(o.conflate_bytes) + ") must be smaller than --max-buffered-bytes (" +
           std::to_string(o.max_buffered_bytes) + ")";
}

void print_config(const config_entries& entries, std::ostream& out) {
    out << "; sensor-bridge " << SENSOR_BRIDGE_VERSION
        << " effective configuration (command line, then config file, then SENSOR_BRIDGE_* environment,\n"
           "; then defaults). Secrets are masked; unset options are commented out. Load it with --config FILE.\n";
    for (const auto& e : entries) {
        const std::string raw = e.value();
        const bool unset = raw == "\"\"" || raw == "[]";
        out << (unset ? "; " : "") << e.key << " = " << (e.secret && !unset ? "\"********\"" : raw) << "\n";
    }
}

parse_result exit_with(parse_result r, int code) {
    r.outcome = parse_outcome::exit;
    r.exit_code = code;
    return r;
}

}  // namespace

parse_result parse_options(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
    parse_result result;
    CLI::App app{"sensor-bridge: MQTT sensor readings to WebSocket rooms, REST and a live dashboard",
                 "sensor-bridge"};
    const config_entries entries = define(app, result.opts);
    try {
        app.parse(argc, argv);
    } catch (const CLI::Success& e) {  // --help, --version
        result.outcome = parse_outcome::exit;
        result.exit_code = app.exit(e, out, err);
        return result;
    } catch (const CLI::ParseError& e) {
        std::string what = e.what();
        if (auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        err << "sensor-bridge: " << what << " (see --help)\n";
        result.outcome = parse_outcome::exit;
        result.exit_code = 2;
        return result;
    }
    if (const char* env_config = std::getenv("SENSOR_BRIDGE_CONFIG");
        env_config && *env_config && app.get_config_ptr()->count() == 0) {
        err << "sensor-bridge: SENSOR_BRIDGE_CONFIG: cannot read config file '" << env_config << "'\n";
        return exit_with(std::move(result), 2);
    }
    if (auto both = settle_ping_interval(app.get_option("--ping-interval")->count() > 0,
                                         app.get_option("--heartbeat-ms")->count() > 0, result.opts)) {
        err << "sensor-bridge: " << *both << "\n";
        return exit_with(std::move(result), 2);
    }
    settle_idle_timeout(app, result.opts);
    if (auto loop = dead_letter_loop(result.opts)) {
        err << "sensor-bridge: " << *loop << "\n";
        result.outcome = parse_outcome::exit;
        result.exit_code = 2;
    } else if (auto bad = settle_watermarks(app, result.opts)) {
        err << "sensor-bridge: " << *bad << "\n";
        result.outcome = parse_outcome::exit;
        result.exit_code = 2;
    } else if (result.opts.pong_timeout_ms >= result.opts.heartbeat_ms) {
        // A ping restarts websocketpp's pong timer: a timeout as long as the interval never fires.
        err << "sensor-bridge: --pong-timeout-ms (" << result.opts.pong_timeout_ms
            << ") must be shorter than the --ping-interval (" << result.opts.heartbeat_ms << " ms)\n";
        result.outcome = parse_outcome::exit;
        result.exit_code = 2;
    } else if (auto memory = memory_problem(result.opts)) {
        err << "sensor-bridge: " << *memory << "\n";
        return exit_with(std::move(result), 2);
    } else if (auto brokers = broker_list_problem(result.opts)) {
        err << "sensor-bridge: " << *brokers << "\n";
        return exit_with(std::move(result), 2);
    } else if (auto tls = tls_conflict(result.opts)) {
        err << "sensor-bridge: " << *tls << "\n";
        return exit_with(std::move(result), 2);
    } else if (app.get_option("--print-config")->count() > 0) {
        print_config(entries, out);
        return exit_with(std::move(result), 0);
    } else if (auto files = tls_files_problem(result.opts)) {
        err << "sensor-bridge: " << *files << "\n";
        return exit_with(std::move(result), 2);
    }
    return result;
}

}  // namespace sb
