#pragma once
// One sensor-bridge process on a free port (--http-port 0), its port read from its log.
#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace sb_it {

struct bridge_config {
    std::uint16_t mqtt_port = 0;
    std::string mqtt_url;  // empty: tcp://127.0.0.1:<mqtt_port>
    std::filesystem::path db;
    std::optional<std::filesystem::path> web_root;  // nullopt: no --web-root
    std::vector<std::string> extra_args;
    std::vector<std::string> env;  // "SENSOR_BRIDGE_...=value"
};

class bridge_process {
public:
    // Starts the bridge writing to dir/<name>.log and waits (bounded) for its "http listening"
    // line. Throws std::runtime_error with the log tail when it exits or never logs it.
    bridge_process(const std::filesystem::path& dir, const bridge_config& config, const std::string& name = "bridge");

    std::uint16_t http_port() const noexcept { return http_port_; }
    pid_t pid() const noexcept { return proc_.pid(); }
    bool running() { return proc_.running(); }
    child_process& process() noexcept { return proc_; }

    // Polls GET /api/health until it reports mqtt connected.
    bool wait_mqtt_connected(std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

    // SIGTERM, then the exit code if it exits within timeout (no SIGKILL here).
    std::optional<int> terminate(std::chrono::milliseconds timeout);

    std::string log_tail(std::size_t lines = 40) const;
    // Whether the MQTT client is Paho: its threads are named MQTTAsync_send and MQTTAsync_rcv
    // (/proc/<pid>/task/*/comm); the asio client runs on the network thread.
    bool runs_paho();
    const std::filesystem::path& log_path() const noexcept { return log_; }

private:
    std::filesystem::path log_;
    child_process proc_;
    std::uint16_t http_port_ = 0;
};

}  // namespace sb_it
