#include "support/child_process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <stdexcept>
#include <utility>

#include "support/wait.hpp"

namespace sb_it {
namespace {

int open_log(const std::filesystem::path& file) {
    int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0) throw std::runtime_error("cannot open log file " + file.string());
    return fd;
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(char* const* argv, char* const* envp, int out_fd, int err_fd, const char* cwd,
                             pid_t parent) {
    // Should the test process die, its children die with it.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);
    if (cwd != nullptr && ::chdir(cwd) != 0) ::_exit(127);
    int null_fd = ::open("/dev/null", O_RDONLY);
    if (null_fd < 0 || ::dup2(null_fd, 0) < 0 || ::dup2(out_fd, 1) < 0 || ::dup2(err_fd, 2) < 0) ::_exit(127);
    // Test sockets must not leak into the child and outlive their close in the test.
    ::close_range(3, ~0U, 0);
    ::execve(argv[0], argv, envp);
    ::_exit(127);
}

// Our environment with overrides applied, as "NAME=value" strings.
std::vector<std::string> child_environment(const std::vector<std::string>& overrides) {
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        const std::string entry(*e);
        const std::string name = entry.substr(0, entry.find('=') + 1);
        const bool replaced = std::any_of(overrides.begin(), overrides.end(),
                                          [&](const std::string& o) { return o.rfind(name, 0) == 0; });
        // Hermetic: the bridge reads SENSOR_BRIDGE_* options, so only the test's own count.
        if (!replaced && entry.rfind("SENSOR_BRIDGE_", 0) != 0) env.push_back(entry);
    }
    env.insert(env.end(), overrides.begin(), overrides.end());
    return env;
}

std::vector<char*> pointers_to(std::vector<std::string>& strings) {
    std::vector<char*> ptrs;
    for (auto& s : strings) ptrs.push_back(s.data());
    ptrs.push_back(nullptr);
    return ptrs;
}

}  // namespace

child_process::child_process(const spawn_options& opts) {
    if (opts.argv.empty()) throw std::runtime_error("child_process: empty argv");
    std::vector<std::string> args = opts.argv;
    std::vector<std::string> env = child_environment(opts.env);
    const std::vector<char*> argv = pointers_to(args);
    const std::vector<char*> envp = pointers_to(env);

    const int out_fd = open_log(opts.stdout_path);
    const int err_fd = opts.stderr_path.empty() ? out_fd : open_log(opts.stderr_path);
    const std::string cwd = opts.working_dir.string();
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid == 0) exec_child(argv.data(), envp.data(), out_fd, err_fd, cwd.empty() ? nullptr : cwd.c_str(), parent);
    ::close(out_fd);
    if (err_fd != out_fd) ::close(err_fd);
    if (pid < 0) throw std::runtime_error("fork failed for " + args[0]);
    pid_ = pid;
}

child_process::~child_process() { stop(); }

child_process::child_process(child_process&& other) noexcept
    : pid_(std::exchange(other.pid_, -1)), exit_code_(std::exchange(other.exit_code_, std::nullopt)) {}

child_process& child_process::operator=(child_process&& other) noexcept {
    if (this != &other) {
        stop();
        pid_ = std::exchange(other.pid_, -1);
        exit_code_ = std::exchange(other.exit_code_, std::nullopt);
    }
    return *this;
}

bool child_process::reap(bool block) {
    if (pid_ <= 0 || exit_code_) return true;
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (r == 0) return false;
    if (r < 0) {
        exit_code_ = -1;  // not our child any more; nothing left to wait for
        return true;
    }
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    return true;
}

bool child_process::running() { return pid_ > 0 && !reap(false); }

void child_process::send_signal(int signo) {
    if (running()) ::kill(pid_, signo);
}

std::optional<int> child_process::wait_exit(std::chrono::milliseconds timeout) {
    if (pid_ <= 0) return std::nullopt;
    if (!wait_until([this] { return reap(false); }, timeout, 5ms)) return std::nullopt;
    return exit_code_;
}

int child_process::stop(std::chrono::milliseconds grace) {
    if (pid_ <= 0) return -1;
    if (running()) {
        ::kill(pid_, SIGTERM);
        if (!wait_exit(grace)) {
            ::kill(pid_, SIGKILL);
            reap(true);
        }
    }
    return exit_code_.value_or(-1);
}

std::size_t vm_rss_kib(pid_t pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) return std::stoul(line.substr(6));
    }
    return 0;
}

}  // namespace sb_it
