// The benchmark load tools (tests/bench: sb-bench-mqtt, sb-bench-ws) against a real mosquitto
// and a real bridge: what they count must be exactly what was published, their command line
// follows the project's contract (one line and exit 2), and a failed run exits 1.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/free_port.hpp"
#include "support/json_doc.hpp"
#include "support/log_file.hpp"
#include "support/mosquitto_fixture.hpp"
#include "support/temp_dir.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

// The tools are built next to the bridge, in ${CMAKE_BINARY_DIR}/bin.
std::string tool_path(const std::string& name) {
    return (std::filesystem::path(SENSOR_BRIDGE_BIN).parent_path() / name).string();
}

// One run of a load tool, its stdout and stderr in files of dir.
class tool_run {
public:
    tool_run(const std::filesystem::path& dir, const std::string& tool, const std::vector<std::string>& args)
        : out_(dir / (tool + "-" + std::to_string(++runs_) + ".out")), err_(dir / (tool + "-" + std::to_string(runs_) + ".err")) {
        std::vector<std::string> argv{tool_path(tool)};
        argv.insert(argv.end(), args.begin(), args.end());
        proc_ = child_process(spawn_options{argv, out_, err_, dir, {}});
    }

    // `ready` alone on a line of stdout.
    bool wait_ready(ms timeout = 5000ms) {
        return wait_until([this] { return read_whole_file(out_).find("ready\n") != std::string::npos; }, timeout);
    }
    std::optional<int> wait_exit(ms timeout = 10000ms) { return proc_.wait_exit(timeout); }
    std::string err() const { return read_whole_file(err_); }

    // The JSON object on the last line of stdout.
    json_doc summary() const {
        std::string text = read_whole_file(out_);
        while (!text.empty() && text.back() == '\n') text.pop_back();
        return json_doc(text.substr(text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1));
    }

private:
    static inline int runs_ = 0;
    std::filesystem::path out_;
    std::filesystem::path err_;
    child_process proc_;
};

std::uint64_t u(const json_doc& d, const char* pointer) { return d.uint(pointer).value_or(~0ull); }

// Latency percentiles in order, positive, and a histogram that holds every sample.
void expect_sane_latency(const json_doc& s) {
    const std::uint64_t p50 = u(s, "/latency_us/p50");
    const std::uint64_t p99 = u(s, "/latency_us/p99");
    const std::uint64_t max = u(s, "/latency_us/max");
    EXPECT_GT(p50, 0u);
    EXPECT_LE(p50, u(s, "/latency_us/p90"));
    EXPECT_LE(u(s, "/latency_us/p90"), p99);
    EXPECT_LE(p99, u(s, "/latency_us/p999"));
    EXPECT_LE(u(s, "/latency_us/p999"), max);
    EXPECT_LT(max, 60'000'000u) << "a minute of latency on loopback is a clock or parsing bug";
    std::uint64_t samples = 0;
    const rapidjson::Value* h = s.get("/histogram");
    ASSERT_TRUE(h && h->IsArray());
    for (const auto& bucket : h->GetArray()) samples += bucket[1].GetUint64();
    EXPECT_EQ(samples, u(s, "/readings"));
}

TEST(bench_tools, mqtt_sub_counts_every_reading_pub_sends) {
    temp_dir dir;
    mosquitto_broker broker(dir.path());
    const std::string port = std::to_string(broker.port());
    tool_run sub(dir.path(), "sb-bench-mqtt", {"sub", "--port", port, "--expect", "5000", "--timeout-ms", "15000"});
    ASSERT_TRUE(sub.wait_ready()) << sub.err();

    tool_run pub(dir.path(), "sb-bench-mqtt", {"pub", "--port", port, "--count", "5000", "--sensors", "50"});
    ASSERT_EQ(pub.wait_exit(), 0) << pub.err();
    EXPECT_EQ(u(pub.summary(), "/sent"), 5000u) << pub.summary().text();

    ASSERT_EQ(sub.wait_exit(), 0) << sub.err();
    const json_doc s = sub.summary();
    ASSERT_TRUE(s.ok()) << s.text();
    EXPECT_EQ(s.str("/tool"), "sub");
    EXPECT_EQ(u(s, "/readings"), 5000u) << s.text();
    EXPECT_EQ(u(s, "/stale"), 0u);
    EXPECT_EQ(u(s, "/errors"), 0u);
    expect_sane_latency(s);
}

TEST(bench_tools, mqtt_pub_qos1_is_acknowledged_and_delivered) {
    temp_dir dir;
    mosquitto_broker broker(dir.path());
    const std::string port = std::to_string(broker.port());
    tool_run sub(dir.path(), "sb-bench-mqtt", {"sub", "--port", port, "--expect", "3000", "--timeout-ms", "15000"});
    ASSERT_TRUE(sub.wait_ready()) << sub.err();

    tool_run pub(dir.path(), "sb-bench-mqtt",
                 {"pub", "--port", port, "--count", "3000", "--qos", "1", "--inflight", "50", "--rate", "20000"});
    ASSERT_EQ(pub.wait_exit(), 0) << pub.err();
    EXPECT_EQ(u(pub.summary(), "/sent"), 3000u);
    EXPECT_EQ(u(pub.summary(), "/unacked"), 0u) << pub.summary().text();
    ASSERT_EQ(sub.wait_exit(), 0) << sub.err();
    EXPECT_EQ(u(sub.summary(), "/readings"), 3000u) << sub.summary().text();
}

// A real bridge on a real broker, and what the WebSocket tool needs of them.
class bench_tools_bridge : public bridge_test {
protected:
    // A reading published long before the tool is ready: it reaches the clients as the
    // subscribe snapshot and must be counted as `stale`, never as a latency sample.
    void publish_old(const std::string& id) {
        publish("sensors/" + id, R"({"sensorId":")" + id + R"(","value":1000,"unit":"us"})");
        ASSERT_TRUE(wait_for_seq(id, 1)) << "the bridge never stored " << id;
    }
    std::string ws_url() const { return "ws://127.0.0.1:" + std::to_string(port()) + "/ws"; }
    std::string broker_port() const { return std::to_string(broker_->port()); }

    void publish_bench(const std::string& count, const std::string& sensors) {
        tool_run pub(dir_.path(), "sb-bench-mqtt",
                     {"pub", "--port", broker_port(), "--count", count, "--sensors", sensors, "--rate", "50000"});
        ASSERT_EQ(pub.wait_exit(), 0) << pub.err();
        EXPECT_EQ(std::to_string(u(pub.summary(), "/sent")), count);
    }
};

TEST_F(bench_tools_bridge, ws_bridge_all_clients_get_every_reading) {
    publish_old("b0000");
    tool_run ws(dir_.path(), "sb-bench-ws",
                {"--url", ws_url(), "--protocol", "bridge", "--clients", "5", "--subscribe", "all", "--expect", "10000",
                 "--timeout-ms", "15000"});
    ASSERT_TRUE(ws.wait_ready()) << ws.err();
    publish_bench("2000", "50");

    ASSERT_EQ(ws.wait_exit(), 0) << ws.err();
    const json_doc s = ws.summary();
    ASSERT_TRUE(s.ok()) << s.text();
    EXPECT_EQ(s.str("/tool"), "ws");
    EXPECT_EQ(s.str("/protocol"), "bridge");
    EXPECT_EQ(u(s, "/connected"), 5u) << s.text();
    EXPECT_EQ(u(s, "/failed"), 0u);
    EXPECT_EQ(u(s, "/readings"), 5u * 2000u) << s.text();
    EXPECT_EQ(u(s, "/stale"), 5u) << "each client's snapshot of b0000";
    EXPECT_EQ(u(s, "/errors"), 0u) << s.text();
    EXPECT_EQ(u(s, "/error_frames"), 0u);
    EXPECT_GT(u(s, "/rss_kib"), 0u);
    expect_sane_latency(s);
}

TEST_F(bench_tools_bridge, ws_bridge_one_delivers_only_each_clients_sensor) {
    // No --expect: the run ends when the stream goes quiet, so a reading too many is seen.
    tool_run ws(dir_.path(), "sb-bench-ws",
                {"--url", ws_url(), "--protocol", "bridge", "--clients", "5", "--subscribe", "one", "--sensors", "5",
                 "--idle-timeout-ms", "700", "--timeout-ms", "15000"});
    ASSERT_TRUE(ws.wait_ready()) << ws.err();
    publish_bench("2000", "5");

    ASSERT_EQ(ws.wait_exit(), 0) << ws.err();
    const json_doc s = ws.summary();
    EXPECT_EQ(u(s, "/sensor_subscriptions"), 5u) << s.text();
    EXPECT_EQ(u(s, "/readings"), 2000u * 5u / 5u) << s.text();
    EXPECT_EQ(u(s, "/errors"), 0u) << s.text();
    EXPECT_EQ(s.str("/stop"), "idle");
}

TEST(bench_tools, bad_options_print_one_line_and_exit_2) {
    const std::vector<std::pair<std::string, std::vector<std::string>>> cases{
        {"sb-bench-mqtt", {}},
        {"sb-bench-mqtt", {"pub", "--port", "1883"}},  // neither --count nor --duration-ms
        {"sb-bench-mqtt", {"pub", "--port", "1883", "--count", "5", "--qos", "2"}},
        {"sb-bench-mqtt", {"pub", "--port", "70000", "--count", "5"}},
        {"sb-bench-mqtt", {"sub"}},
        {"sb-bench-mqtt", {"sub", "--port", "1883", "--no-such-option"}},
        {"sb-bench-ws", {}},
        {"sb-bench-ws", {"--url", "http://127.0.0.1:1/ws", "--protocol", "raw"}},
        {"sb-bench-ws", {"--url", "ws://127.0.0.1:1/ws", "--protocol", "carrier-pigeon"}},
        {"sb-bench-ws", {"--url", "ws://127.0.0.1:1/ws", "--protocol", "raw", "--subscribe", "some"}},
        {"sb-bench-ws", {"--url", "ws://127.0.0.1:1/ws", "--protocol", "raw", "--source-addrs", "127.0.0"}},
    };
    temp_dir dir;
    for (const auto& [tool, args] : cases) {
        std::string shown = tool;
        for (const auto& a : args) shown += " " + a;
        SCOPED_TRACE(shown);
        tool_run run(dir.path(), tool, args);
        ASSERT_EQ(run.wait_exit(5000ms), 2) << run.err();
        const std::string err = run.err();
        EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
        EXPECT_EQ(err.rfind(tool + ": ", 0), 0u) << err;
    }
}

TEST(bench_tools, a_run_that_cannot_connect_exits_1) {
    temp_dir dir;
    const std::string port = std::to_string(pick_free_port());  // nothing listens there
    tool_run sub(dir.path(), "sb-bench-mqtt", {"sub", "--port", port});
    EXPECT_EQ(sub.wait_exit(5000ms), 1);
    EXPECT_NE(sub.err().find("cannot connect"), std::string::npos) << sub.err();
    tool_run ws(dir.path(), "sb-bench-ws", {"--url", "ws://127.0.0.1:" + port + "/ws", "--protocol", "bridge"});
    EXPECT_EQ(ws.wait_exit(5000ms), 1);
    EXPECT_EQ(ws.summary().uint("/failed"), 1u) << ws.summary().text();
}

}  // namespace
}  // namespace sb_it
