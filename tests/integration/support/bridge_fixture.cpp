#include "support/bridge_fixture.hpp"

#include <signal.h>

#include <regex>
#include <stdexcept>

#include "support/http_client.hpp"
#include "support/json_doc.hpp"
#include "support/log_file.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

std::vector<std::string> bridge_argv(const bridge_config& c) {
    std::vector<std::string> argv{SENSOR_BRIDGE_BIN,
                                  "--mqtt-url",
                                  c.mqtt_url.empty() ? "tcp://127.0.0.1:" + std::to_string(c.mqtt_port) : c.mqtt_url,
                                  "--http-port", "0",
                                  "--bind", "127.0.0.1",
                                  "--db", c.db.string()};
    if (c.web_root) {
        argv.push_back("--web-root");
        argv.push_back(c.web_root->string());
    }
    argv.insert(argv.end(), c.extra_args.begin(), c.extra_args.end());
    return argv;
}

std::optional<std::uint16_t> port_from_log(const std::filesystem::path& log) {
    static const std::regex listening(R"(info http listening url=https?://127\.0\.0\.1:(\d+)/)");
    const std::string text = read_whole_file(log);
    std::smatch m;
    if (!std::regex_search(text, m, listening)) return std::nullopt;
    return static_cast<std::uint16_t>(std::stoul(m[1].str()));
}

}  // namespace

bridge_process::bridge_process(const std::filesystem::path& dir, const bridge_config& config,
                               const std::string& name)
    : log_(dir / (name + ".log")), proc_(spawn_options{bridge_argv(config), log_, {}, dir, config.env}) {
    std::optional<std::uint16_t> port;
    wait_until([&] { return (port = port_from_log(log_)) || !proc_.running(); }, 5000ms, 5ms);
    if (!port) {
        proc_.stop();
        throw std::runtime_error("sensor-bridge did not report its port; log:\n" + log_tail());
    }
    http_port_ = *port;
}

bool bridge_process::wait_mqtt_connected(std::chrono::milliseconds timeout) {
    return wait_until(
        [this] {
            if (!proc_.running()) return true;  // reported as a failure below
            const http_response r = http_get(http_port_, "/api/health");
            return r.status == 200 && json_doc(r.body).str("/mqtt") == "connected";
        },
        timeout, 20ms) &&
           proc_.running();
}

std::optional<int> bridge_process::terminate(std::chrono::milliseconds timeout) {
    proc_.send_signal(SIGTERM);
    return proc_.wait_exit(timeout);
}

std::string bridge_process::log_tail(std::size_t lines) const { return tail_lines(log_, lines); }

bool bridge_process::runs_paho() {
    std::error_code ec;
    const std::filesystem::path tasks = "/proc/" + std::to_string(pid()) + "/task";
    for (const auto& task : std::filesystem::directory_iterator(tasks, ec)) {
        if (read_whole_file(task.path() / "comm").rfind("MQTTAsync_", 0) == 0) return true;
    }
    return false;
}

}  // namespace sb_it
