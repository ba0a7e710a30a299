#include "config/options.hpp"

#include <gtest/gtest.h>

#include "config/option_checks.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace sb {
namespace {

struct run {
    parse_result result;
    std::string out;
    std::string err;
};

run parse(std::vector<const char*> args) {
    args.insert(args.begin(), "sensor-bridge");
    std::ostringstream out, err;
    run r{parse_options(static_cast<int>(args.size()), args.data(), out, err), {}, {}};
    r.out = out.str();
    r.err = err.str();
    return r;
}

TEST(options, defaults_follow_the_design) {
    auto r = parse({});
    ASSERT_EQ(r.result.outcome, parse_outcome::run);
    EXPECT_EQ(r.result.opts.mqtt_urls, std::vector<std::string>{"tcp://127.0.0.1:1883"});
    EXPECT_EQ(r.result.opts.topics, default_topics());
    EXPECT_EQ(r.result.opts.topics.front(), "sensors/#");
    EXPECT_EQ(r.result.opts.bind, "127.0.0.1");
    EXPECT_EQ(r.result.opts.http_port, 8080);
    EXPECT_EQ(r.result.opts.max_payload, 64u * 1024u);
    EXPECT_EQ(r.result.opts.max_readings_per_message, 256u);
    EXPECT_EQ(r.result.opts.sync, "normal");
}

TEST(options, repeated_topics_replace_the_default) {
    auto r = parse({"--topic", "a/#", "--topic", "zigbee2mqtt/+"});
    EXPECT_EQ(r.result.opts.topics, (std::vector<std::string>{"a/#", "zigbee2mqtt/+"}));
}

TEST(options, repeated_broker_urls_replace_the_default_in_order) {
    auto r = parse({"--mqtt-url", "tcp://a.lan:1883", "--mqtt-url", "tcp://b.lan:1883"});
    EXPECT_EQ(r.result.outcome, parse_outcome::run) << r.err;
    EXPECT_EQ(r.result.opts.mqtt_urls, (std::vector<std::string>{"tcp://a.lan:1883", "tcp://b.lan:1883"}));
}

struct bad_case {
    std::vector<const char*> args;
};

TEST(options, a_bad_option_prints_one_line_and_exits_2) {
    const bad_case cases[] = {
        {{"--no-such-option"}},
        {{"--http-port", "99999"}},
        {{"--http-port", "abc"}},
        {{"--topic", "a/#/b"}},
        {{"--topic", "a+/b"}},
        {{"--log-level", "loud"}},
        {{"--web-root", "/no/such/dir"}},
        {{"--max-payload", "1"}},
        {{"--max-readings-per-message", "0"}},
        {{"--max-readings-per-message", "65537"}},
        {{"--sync", "off"}},
        {{"--dead-letter-topic", "dead/#"}},
        {{"--heartbeat-ms", "200", "--pong-timeout-ms", "500"}},
        {{"--conflate-bytes", "65536", "--max-buffered-bytes", "65536"}},  // never conflates before closing
        {{"--slow-grace-ms", "-1"}},
        {{"--dead-letter-topic", "sensors/dead"}},  // would be ingested again by sensors/#
        {{"--mqtt-backoff-max-ms", "50"}},
        {{"--mqtt-batch-us", "100001"}},  // over 0.1 s
        {{"--mqtt-batch-us", "-1"}},
        {{"--ping-interval", "0.05"}},     // under 100 ms, like --heartbeat-ms 50
        {{"--ping-interval", "3601"}},     // over an hour
        {{"--ping-interval", "soon"}},
        {{"--ping-interval", "0.2", "--pong-timeout-ms", "500"}},
        {{"--ping-interval", "30", "--heartbeat-ms", "30000"}},  // the option and its old name
        {{"--mqtt-url", "tcp://a:1883", "--mqtt-url", "ssl://b:8883"}},  // plain and TLS mixed
        {{"--mqtt-url", "tcp://1", "--mqtt-url", "tcp://2", "--mqtt-url", "tcp://3", "--mqtt-url", "tcp://4",
          "--mqtt-url", "tcp://5", "--mqtt-url", "tcp://6", "--mqtt-url", "tcp://7", "--mqtt-url", "tcp://8",
          "--mqtt-url", "tcp://9"}},  // over 8
        {{"--allowed-host", "http://gateway.lan"}},
        {{"--allowed-host", "gateway.lan:8080"}},  // names, not ports
        {{"--allowed-origin", "dash.example"}},     // no scheme
        {{"--allowed-origin", "https://dash.example/"}},
    };
    for (const auto& c : cases) {
        auto r = parse(c.args);
        EXPECT_EQ(r.result.outcome, parse_outcome::exit) << c.args[0];
        EXPECT_EQ(r.result.exit_code, 2) << c.args[0];
        ASSERT_FALSE(r.err.empty());
        EXPECT_EQ(r.err.find('\n'), r.err.size() - 1) << "more than one line: " << r.err;
        EXPECT_EQ(r.err.rfind("sensor-bridge: ", 0), 0u) << r.err;
    }
}

struct ping_case {
    const char* name;
    std::vector<const char*> args;
    const char* env_name;  // nullptr: none
    const char* env_value;
    std::uint32_t heartbeat_ms;
    double ping_interval;
};

TEST(options, ping_interval_in_seconds_and_its_old_name_in_ms) {
    const ping_case cases[] = {
        {"default", {}, nullptr, nullptr, 30000, 30},
        {"seconds", {"--ping-interval", "15"}, nullptr, nullptr, 15000, 15},
        {"fraction of a second", {"--ping-interval", "0.3", "--pong-timeout-ms", "200"}, nullptr, nullptr, 300, 0.3},
        {"the longest", {"--ping-interval", "3600"}, nullptr, nullptr, 3600000, 3600},
        {"old name in ms", {"--heartbeat-ms", "200", "--pong-timeout-ms", "100"}, nullptr, nullptr, 200, 0.2},
        {"from the environment", {}, "SENSOR_BRIDGE_PING_INTERVAL", "12", 12000, 12},
        {"old name from the environment", {}, "SENSOR_BRIDGE_HEARTBEAT_MS", "45000", 45000, 45},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        if (c.env_name) ::setenv(c.env_name, c.env_value, 1);
        auto r = parse(c.args);
        if (c.env_name) ::unsetenv(c.env_name);
        ASSERT_EQ(r.result.outcome, parse_outcome::run) << r.err;
        EXPECT_EQ(r.result.opts.heartbeat_ms, c.heartbeat_ms);
        EXPECT_DOUBLE_EQ(r.result.opts.ping_interval, c.ping_interval);
    }
}

TEST(options, ping_interval_and_its_old_name_from_two_places_are_refused) {
    ::setenv("SENSOR_BRIDGE_HEARTBEAT_MS", "20000", 1);
    auto r = parse({"--ping-interval", "20"});
    ::unsetenv("SENSOR_BRIDGE_HEARTBEAT_MS");
    EXPECT_EQ(r.result.exit_code, 2);
    EXPECT_EQ(r.err, "sensor-bridge: --ping-interval and --heartbeat-ms (its old name, in ms) set the same value: "
                     "give one\n");
}

TEST(options, an_idle_timeout_left_unset_follows_a_long_ping_interval) {
    EXPECT_EQ(parse({"--ping-interval", "60"}).result.opts.idle_timeout_ms, 120000u);
    EXPECT_EQ(parse({"--ping-interval", "120"}).result.opts.idle_timeout_ms, 480000u);
    EXPECT_EQ(parse({"--ping-interval", "120", "--idle-timeout-ms", "60000"}).result.opts.idle_timeout_ms, 60000u);
}

TEST(options, mqtt_backoff_cap) {
    EXPECT_EQ(parse({}).result.opts.mqtt_backoff_max_ms, 30000u);
    EXPECT_EQ(parse({"--mqtt-backoff-max-ms", "2000"}).result.opts.mqtt_backoff_max_ms, 2000u);
}

TEST(options, mqtt_batch_interval) {
    EXPECT_EQ(parse({}).result.opts.mqtt_batch_us, 500u);
    EXPECT_EQ(parse({"--mqtt-batch-us", "0"}).result.opts.mqtt_batch_us, 0u);
    EXPECT_EQ(parse({"--mqtt-batch-us", "2000"}).result.opts.mqtt_batch_us, 2000u);
}

TEST(options, slow_consumer_watermarks_and_grace) {
    auto d = parse({});
    EXPECT_EQ(d.result.opts.conflate_bytes, 1024u * 1024u);
    EXPECT_EQ(d.result.opts.max_buffered_bytes, 4u * 1024u * 1024u);
    EXPECT_EQ(d.result.opts.slow_grace_ms, 5000u);
    auto set = parse({"--conflate-bytes", "8192", "--max-buffered-bytes", "65536", "--slow-grace-ms", "250"});
    ASSERT_EQ(set.result.outcome, parse_outcome::run) << set.err;
    EXPECT_EQ(set.result.opts.conflate_bytes, 8192u);
    EXPECT_EQ(set.result.opts.slow_grace_ms, 250u);
    // Left unset, the low watermark follows a small high watermark down.
    auto small = parse({"--max-buffered-bytes", "65536"});
    ASSERT_EQ(small.result.outcome, parse_outcome::run) << small.err;
    EXPECT_EQ(small.result.opts.conflate_bytes, 16384u);
    ::setenv("SENSOR_BRIDGE_CONFLATE_BYTES", "65536", 1);
    auto env = parse({"--max-buffered-bytes", "65536"});
    ::unsetenv("SENSOR_BRIDGE_CONFLATE_BYTES");
    EXPECT_EQ(env.result.exit_code, 2) << "set through the environment is set: refused, not adjusted";
}

TEST(options, help_and_version_exit_0) {
    auto help = parse({"--help"});
    EXPECT_EQ(help.result.outcome, parse_outcome::exit);
    EXPECT_EQ(help.result.exit_code, 0);
    EXPECT_NE(help.out.find("--mqtt-url"), std::string::npos);
    auto version = parse({"--version"});
    EXPECT_EQ(version.result.exit_code, 0);
    EXPECT_NE(version.out.find(SENSOR_BRIDGE_VERSION), std::string::npos);
}

TEST(options, environment_variables_set_options) {
    ::setenv("SENSOR_BRIDGE_HTTP_PORT", "9123", 1);
    auto r = parse({});
    ::unsetenv("SENSOR_BRIDGE_HTTP_PORT");
    EXPECT_EQ(r.result.opts.http_port, 9123);
}

TEST(options, a_config_file_keeps_hash_in_topic_filters) {
    char path[] = "/tmp/sb-options-XXXXXX";
    int fd = ::mkstemp(path);
    ASSERT_GE(fd, 0);
    std::string text =
        "; comment\n"
        "topic = [\"sensors/#\", \"zigbee2mqtt/+\"]\n"
        "db = \"/tmp/x.db\"\n"
        "http-port = 9001\n";
    ASSERT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
    auto r = parse({"--config", path});
    ::unlink(path);
    ASSERT_EQ(r.result.outcome, parse_outcome::run) << r.err;
    EXPECT_EQ(r.result.opts.topics, (std::vector<std::string>{"sensors/#", "zigbee2mqtt/+"}));
    EXPECT_EQ(r.result.opts.db, "/tmp/x.db");
    EXPECT_EQ(r.result.opts.http_port, 9001);
}

// A key written again further down the file (an operator appending a line to the packaged
// config) was ignored in silence: CLI11 merged only adjacent lines of one key.
TEST(options, a_key_written_twice_apart_in_the_config_file_is_refused_or_collected) {
    auto write = [](const std::string& text) {
        char path[] = "/tmp/sb-options-XXXXXX";
        int fd = ::mkstemp(path);
        EXPECT_GE(fd, 0);
        EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
        ::close(fd);
        return std::string(path);
    };
    const std::string single = write("http-port = 8080\nlog-level = \"info\"\nhttp-port = 9001\n");
    auto r = parse({"--config", single.c_str()});
    ::unlink(single.c_str());
    EXPECT_EQ(r.result.outcome, parse_outcome::exit);
    EXPECT_EQ(r.result.exit_code, 2);
    EXPECT_NE(r.err.find("--http-port"), std::string::npos) << r.err;

    const std::string repeated = write("topic = \"a/#\"\nlog-level = \"info\"\ntopic = \"b/#\"\n");
    r = parse({"--config", repeated.c_str()});
    ::unlink(repeated.c_str());
    ASSERT_EQ(r.result.outcome, parse_outcome::run) << r.err;
    EXPECT_EQ(r.result.opts.topics, (std::vector<std::string>{"a/#", "b/#"}));
}

// TLS options that cannot work are refused before anything starts (files' content: the
// integration test mqtt_tls_start, with real certificates).
TEST(options, tls_options_that_cannot_work_exit_2) {
    const char* file = "/etc/hostname";  // exists; not PEM
    const std::vector<std::vector<const char*>> cases{
        {"--mqtt-url", "ssl://broker:8883", "--mqtt-cert", file},                 // no key
        {"--mqtt-url", "ssl://broker:8883", "--mqtt-key", file},                  // no certificate
        {"--mqtt-ca", file},                                                      // tcp://: would be ignored
        {"--mqtt-url", "mqtts://broker", "--mqtt-client", "asio"},                // asio has no TLS
        {"--mqtt-url", "ssl://broker:8883", "--mqtt-ca", file},                   // not a certificate
        {"--mqtt-url", "ssl://broker:8883", "--mqtt-ca", "/no/such/ca.pem"},
        {"--tls-cert", file},                                                     // no key
        {"--tls-key", file},                                                      // no certificate
        {"--tls-cert", file, "--tls-key", file},                                  // not PEM
    };
    for (const auto& args : cases) {
        auto r = parse(args);
        EXPECT_EQ(r.result.exit_code, 2) << args[args.size() - 1];
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
    }
    auto ok = parse({"--mqtt-url", "ssl://broker:8883", "--mqtt-client", "auto"});
    EXPECT_EQ(ok.result.outcome, parse_outcome::run) << ok.err;
    EXPECT_TRUE(ok.result.opts.mqtt_ca.empty()) << "default: the system's trust store";
}

TEST(options, mqtt_tls_files_are_shown_by_path_in_print_config) {
    auto r = parse({"--mqtt-url", "ssl://broker:8883", "--mqtt-ca", "/etc/hostname", "--print-config"});
    EXPECT_EQ(r.result.exit_code, 0) << "content is checked when running, not when printing: " << r.err;
    EXPECT_NE(r.out.find("\nmqtt-ca = \"/etc/hostname\"\n"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("\n; mqtt-key = \"\"\n"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST(options, forget_after_takes_a_duration_or_never) {
    EXPECT_EQ(parse_duration_ms("30d"), 30LL * 86400 * 1000);
    EXPECT_EQ(parse_duration_ms("12h"), 12LL * 3600 * 1000);
    EXPECT_EQ(parse_duration_ms("90m"), 90LL * 60 * 1000);
    EXPECT_EQ(parse_duration_ms("45s"), 45000);
    EXPECT_EQ(parse_duration_ms("500ms"), 500);
    EXPECT_EQ(parse_duration_ms("0"), 0);
    EXPECT_EQ(parse_duration_ms("never"), 0);
    for (const char* bad : {"", "d", "30", "30 d", "-1d", "1.5h", "30D", "9999999999d"}) {
        EXPECT_FALSE(parse_duration_ms(bad)) << bad;
    }
    EXPECT_EQ(parse({}).result.opts.forget_after, "30d");
    auto bad = parse({"--forget-after", "soon"});
    EXPECT_EQ(bad.result.outcome, parse_outcome::exit);
    EXPECT_EQ(bad.result.exit_code, 2);
    EXPECT_NE(bad.err.find("--forget-after"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace sb
