// Command line (docs/CONFIGURATION.md): a bad option is one line on stderr and exit code 2;
// --version prints the version and exits 0.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/log_file.hpp"
#include "support/temp_dir.hpp"

namespace sb_it {
namespace {

using namespace std::chrono_literals;

struct run_result {
    std::optional<int> exit_code;
    std::string out;
    std::string err;
};

// Runs the bridge in dir with args; a bridge that would start anyway is stopped after 5 s.
run_result run_bridge(const temp_dir& dir, const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv{SENSOR_BRIDGE_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto out = dir / "stdout.txt";
    const auto err = dir / "stderr.txt";
    std::filesystem::remove(out);
    std::filesystem::remove(err);
    child_process p(spawn_options{argv, out, err, dir.path(), env});
    run_result r;
    r.exit_code = p.wait_exit(5000ms);
    p.stop();
    r.out = read_whole_file(out);
    r.err = read_whole_file(err);
    return r;
}

TEST(cli, bad_options_print_one_line_and_exit_2) {
    const std::vector<std::vector<std::string>> cases{
        {"--no-such-option"},
        {"--http-port", "not-a-port"},
        {"--http-port", "70000"},
        {"--log-level", "loud"},
        {"--max-buffered-bytes", "1", "--http-port", "0"},
        {"--topic", "sensors/#/x", "--http-port", "0"},
        {"--web-root", "/no/such/dir", "--http-port", "0"},
        {"--http-port"},
        // websocketpp restarts the pong timer with every ping: such a timeout would never fire.
        {"--ping-interval", "0.2", "--pong-timeout-ms", "500", "--http-port", "0"},
        {"--ping-interval", "30", "--heartbeat-ms", "30000", "--http-port", "0"},  // an option and its old name
        {"--ping-interval", "0", "--http-port", "0"},
        {"--dead-letter-topic", "sensors/dead", "--http-port", "0"},  // would be ingested again
        {"--max-readings-per-message", "0", "--http-port", "0"},
        {"--max-readings-per-message", "65537", "--http-port", "0"},
        {"--sync", "sometimes", "--http-port", "0"},
    };
    temp_dir dir;
    for (const auto& args : cases) {
        std::string shown;
        for (const auto& a : args) shown += a + " ";
        SCOPED_TRACE(shown);
        const run_result r = run_bridge(dir, args);
        ASSERT_TRUE(r.exit_code) << "did not exit";
        EXPECT_EQ(*r.exit_code, 2) << "stderr: " << r.err;
        EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << "stderr: " << r.err;
        EXPECT_EQ(r.err.rfind("sensor-bridge: ", 0), 0u) << "stderr: " << r.err;
        EXPECT_FALSE(std::filesystem::exists(dir / "bridge.db")) << "a bad command line must not touch the db";
    }
}

TEST(cli, version_prints_0_1_0_and_exits_0) {
    temp_dir dir;
    const run_result r = run_bridge(dir, {"--version"});
    ASSERT_TRUE(r.exit_code);
    EXPECT_EQ(*r.exit_code, 0);
    EXPECT_NE(r.out.find("0.1.0"), std::string::npos) << "stdout: " << r.out;
    EXPECT_TRUE(r.err.empty()) << "stderr: " << r.err;
}

// The effective configuration from every source, secrets masked, without starting anything.
TEST(cli, print_config_shows_the_effective_configuration_and_exits_0) {
    temp_dir dir;
    write_file(dir / "bridge.conf", "ping-interval = 20\nhttp-port = 9001\n");
    const run_result r = run_bridge(dir,
                                    {"--config", (dir / "bridge.conf").string(), "--http-port", "9002", "--mqtt-url",
                                     "tcp://bridge:pa55word@127.0.0.1:1883", "--print-config"},
                                    {"SENSOR_BRIDGE_STALE_MIN_MS=2500", "SENSOR_BRIDGE_PING_INTERVAL=1"});
    ASSERT_TRUE(r.exit_code);
    EXPECT_EQ(*r.exit_code, 0) << r.err;
    EXPECT_TRUE(r.err.empty()) << r.err;
    for (const char* line : {"http-port = 9002",          // command line over the file
                             "ping-interval = 20",        // the file over the environment
                             "stale-min-ms = 2500",       // the environment over the default
                             "mqtt-url = [\"tcp://bridge:********@127.0.0.1:1883\"]"}) {
        EXPECT_NE(r.out.find(std::string("\n") + line + "\n"), std::string::npos) << line << "\n" << r.out;
    }
    EXPECT_EQ(r.out.find("pa55word"), std::string::npos) << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir / "bridge.db")) << "--print-config must not open the database";
}

TEST(cli, help_exits_0_and_lists_the_options) {
    temp_dir dir;
    const run_result r = run_bridge(dir, {"--help"});
    ASSERT_TRUE(r.exit_code);
    EXPECT_EQ(*r.exit_code, 0);
    for (const char* option : {"--mqtt-url", "--topic", "--http-port", "--bind", "--db", "--web-root",
                               "--max-buffered-bytes", "--ping-interval", "--heartbeat-ms", "--log-level", "--version"}) {
        EXPECT_NE(r.out.find(option), std::string::npos) << option;
    }
}

// Each option also comes from SENSOR_BRIDGE_* variables and a config file (docs/CONFIGURATION.md); the
// ping interval's old name, --heartbeat-ms (in ms), still does too.
class config_from_env : public bridge_test {
protected:
    std::vector<std::string> bridge_env() const override { return {"SENSOR_BRIDGE_HEARTBEAT_MS=12345"}; }
};

TEST_F(config_from_env, old_heartbeat_name_from_the_environment_reaches_the_welcome_frame) {
    ws_test_client c;
    ASSERT_TRUE(c.connect(port()));
    const auto welcome = c.next_frame(2000ms);
    ASSERT_TRUE(welcome);
    EXPECT_EQ(json_doc(*welcome).uint("/payload/heartbeatMs"), 12345u) << *welcome;
}

class config_from_file : public bridge_test {
protected:
    void SetUp() override {
        write_file(dir_ / "bridge.ini", "ping-interval = 23.456\n");
        bridge_test::SetUp();
    }
    std::vector<std::string> bridge_args() const override { return {"--config", (dir_ / "bridge.ini").string()}; }
};

TEST_F(config_from_file, ping_interval_from_the_config_file_reaches_the_welcome_frame) {
    ws_test_client c;
    ASSERT_TRUE(c.connect(port()));
    const auto welcome = c.next_frame(2000ms);
    ASSERT_TRUE(welcome);
    EXPECT_EQ(json_doc(*welcome).uint("/payload/heartbeatMs"), 23456u) << *welcome;
}

}  // namespace
}  // namespace sb_it
