// --print-config: the effective configuration in the config-file format, secrets masked, exit 0;
// it loads back unchanged, and the sample config shipped in packaging/ names every option.
#include "config/options.hpp"

#include <gtest/gtest.h>

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
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

bool has_line(const std::string& text, const std::string& line) {
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// The keys a --print-config output sets or shows commented out.
std::set<std::string> keys_of(const std::string& text) {
    std::set<std::string> keys;
    std::istringstream in(text);
    for (std::string l; std::getline(in, l);) {
        if (l.rfind("; ", 0) == 0) l = l.substr(2);
        const auto eq = l.find(" = ");
        if (eq != std::string::npos && l.find(' ') == eq) keys.insert(l.substr(0, eq));
    }
    return keys;
}

std::string write_temp(const std::string& text) {
    char path[] = "/tmp/sb-print-config-XXXXXX";
    const int fd = ::mkstemp(path);
    EXPECT_GE(fd, 0);
    EXPECT_EQ(::write(fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
    ::close(fd);
    return path;
}

TEST(print_config, shows_the_effective_values_and_exits_0) {
    ::setenv("SENSOR_BRIDGE_HEARTBEAT_MS", "12000", 1);
    auto r = parse({"--print-config", "--http-port", "9002", "--topic", "a/#", "--topic", "b/+"});
    ::unsetenv("SENSOR_BRIDGE_HEARTBEAT_MS");
    EXPECT_EQ(r.result.outcome, parse_outcome::exit);
    EXPECT_EQ(r.result.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    EXPECT_TRUE(has_line(r.out, "http-port = 9002")) << r.out;
    EXPECT_TRUE(has_line(r.out, "ping-interval = 12")) << "--heartbeat-ms is shown by its new name\n" << r.out;
    EXPECT_FALSE(keys_of(r.out).count("heartbeat-ms")) << "the old name would load back as a second value\n" << r.out;
    EXPECT_TRUE(has_line(r.out, "topic = [\"a/#\", \"b/+\"]")) << r.out;
    EXPECT_TRUE(has_line(r.out, "; dead-letter-topic = \"\"")) << "unset: commented out\n" << r.out;
    EXPECT_TRUE(has_line(r.out, "stale-factor = 3")) << r.out;
}

TEST(print_config, masks_passwords_in_urls) {
    auto r = parse({"--print-config", "--mqtt-url", "ssl://gateway:s3cr%t@broker.lan:8883"});
    ASSERT_EQ(r.result.exit_code, 0) << r.err;
    EXPECT_EQ(r.out.find("s3cr%t"), std::string::npos) << r.out;
    EXPECT_TRUE(has_line(r.out, "mqtt-url = [\"ssl://gateway:********@broker.lan:8883\"]")) << r.out;
    // A path to a secret is not a secret: it is shown, its content never read or printed.
    const std::string secret_file = write_temp("hunter2\n");
    auto f = parse({"--print-config", "--mqtt-password-file", secret_file.c_str()});
    ::unlink(secret_file.c_str());
    EXPECT_TRUE(has_line(f.out, "mqtt-password-file = \"" + secret_file + "\"")) << f.out;
    EXPECT_EQ(f.out.find("hunter2"), std::string::npos);
}

TEST(print_config, a_bad_option_still_fails_with_2) {
    auto r = parse({"--print-config", "--http-port", "70000"});
    EXPECT_EQ(r.result.exit_code, 2);
    EXPECT_TRUE(r.out.empty()) << r.out;
}

// What --print-config prints, loaded with --config, gives the same options.
TEST(print_config, its_output_loads_back_unchanged) {
    auto first = parse({"--print-config", "--topic", "sensors/#", "--topic", "zigbee2mqtt/+", "--allowed-origin",
                        "http://a.example", "--allowed-origin", "https://b.example:8443", "--stale-factor", "2.5",
                        "--client-id", "gw-1", "--db", "/tmp/some dir/x.db", "--max-buffered-bytes", "1048576"});
    ASSERT_EQ(first.result.exit_code, 0) << first.err;
    const std::string path = write_temp(first.out);
    auto again = parse({"--config", path.c_str()});
    auto reprinted = parse({"--config", path.c_str(), "--print-config"});
    ::unlink(path.c_str());
    ASSERT_EQ(again.result.outcome, parse_outcome::run) << again.err;
    const options& o = again.result.opts;
    EXPECT_EQ(o.topics, (std::vector<std::string>{"sensors/#", "zigbee2mqtt/+"}));
    EXPECT_EQ(o.allowed_origins, (std::vector<std::string>{"http://a.example", "https://b.example:8443"}));
    EXPECT_DOUBLE_EQ(o.stale_factor, 2.5);
    EXPECT_EQ(o.client_id, "gw-1");
    EXPECT_EQ(o.db, "/tmp/some dir/x.db");
    EXPECT_EQ(o.max_buffered_bytes, 1048576u);
    EXPECT_EQ(o.conflate_bytes, 262144u);  // a quarter of --max-buffered-bytes
    EXPECT_EQ(reprinted.out, first.out);
}

TEST(print_config, sensor_bridge_config_names_the_file) {
    const std::string path = write_temp("http-port = 9010\n");
    ::setenv("SENSOR_BRIDGE_CONFIG", path.c_str(), 1);
    auto r = parse({});
    ::unlink(path.c_str());
    auto missing = parse({});
    ::unsetenv("SENSOR_BRIDGE_CONFIG");
    EXPECT_EQ(r.result.outcome, parse_outcome::run) << r.err;
    EXPECT_EQ(r.result.opts.http_port, 9010);
    EXPECT_EQ(missing.result.exit_code, 2) << "a config file named but missing is an error, not ignored";
    EXPECT_NE(missing.err.find("SENSOR_BRIDGE_CONFIG"), std::string::npos) << missing.err;
}

// packaging/sensor-bridge.conf (installed as the sample) parses and names every option.
TEST(print_config, the_sample_config_names_every_option) {
    std::ifstream in(SB_SAMPLE_CONFIG);
    ASSERT_TRUE(in) << SB_SAMPLE_CONFIG;
    std::stringstream sample;
    sample << in.rdbuf();
    auto all = parse({"--print-config"});
    ASSERT_EQ(all.result.exit_code, 0);
    const std::set<std::string> sample_keys = keys_of(sample.str());
    for (const std::string& key : keys_of(all.out)) {
        EXPECT_TRUE(sample_keys.count(key)) << "the sample config does not mention " << key;
    }
    auto loaded = parse({"--config", SB_SAMPLE_CONFIG, "--print-config"});
    EXPECT_EQ(loaded.result.exit_code, 0) << loaded.err;
    EXPECT_TRUE(has_line(loaded.out, "db = \"/var/lib/sensor-bridge/bridge.db\"")) << loaded.out;
}

}  // namespace
}  // namespace sb
