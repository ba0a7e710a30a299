#pragma once
// A child process started with fork/exec, output to log files, always stopped by its pid:
// SIGTERM, a bounded wait, then SIGKILL. Never by name.
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace sb_it {

struct spawn_options {
    std::vector<std::string> argv;          // argv[0] is the executable's path
    std::filesystem::path stdout_path;      // appended to
    std::filesystem::path stderr_path;      // empty: same file as stdout
    std::filesystem::path working_dir;      // empty: the test's own
    std::vector<std::string> env;           // "NAME=value" added to (or replacing in) ours
};

class child_process {
public:
    child_process() = default;
    explicit child_process(const spawn_options& opts);  // throws std::runtime_error
    ~child_process();
    child_process(child_process&& other) noexcept;
    child_process& operator=(child_process&& other) noexcept;
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    pid_t pid() const noexcept { return pid_; }
    bool running();
    void send_signal(int signo);

    // The exit code (128 + signal when killed) once exited within timeout, else nullopt.
    std::optional<int> wait_exit(std::chrono::milliseconds timeout);

    // SIGTERM, wait up to grace, then SIGKILL. Returns the exit code. Idempotent.
    int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(3000));

private:
    bool reap(bool block);

    pid_t pid_ = -1;
    std::optional<int> exit_code_;
};

// The process's resident set (VmRSS in /proc/<pid>/status), KiB; 0 when it is gone.
std::size_t vm_rss_kib(pid_t pid);

}  // namespace sb_it
