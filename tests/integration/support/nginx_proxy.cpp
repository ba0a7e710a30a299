#include "support/nginx_proxy.hpp"

#include <stdexcept>

#include "support/free_port.hpp"
#include "support/log_file.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

void replace_all(std::string& text, const std::string& from, const std::string& to) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
        text.replace(at, from.size(), to);
    }
}

}  // namespace

nginx_proxy::nginx_proxy(const std::filesystem::path& dir, const std::vector<std::uint16_t>& upstream_ports)
    : prefix_(dir / "nginx") {
    std::filesystem::create_directories(prefix_ / "tmp");
    // Another process may take the free port first: try a few.
    for (int attempt = 0; attempt < 5; ++attempt) {
        if (try_start(upstream_ports)) return;
    }
    throw std::runtime_error("nginx did not start; error log:\n" + log_tail());
}

bool nginx_proxy::try_start(const std::vector<std::uint16_t>& upstream_ports) {
    port_ = pick_free_port();
    std::string conf = read_whole_file(SB_NGINX_TEMPLATE);
    std::string servers;
    for (auto p : upstream_ports) servers += "server 127.0.0.1:" + std::to_string(p) + " max_fails=1 fail_timeout=10s; ";
    replace_all(conf, "@PREFIX@", prefix_.string());
    replace_all(conf, "@LISTEN@", "127.0.0.1:" + std::to_string(port_));
    replace_all(conf, "@UPSTREAM_SERVERS@", servers);
    write_file(prefix_ / "nginx.conf", conf);
    proc_ = child_process(spawn_options{{nginx_binary.string(), "-p", prefix_.string() + "/", "-e",
                                         (prefix_ / "nginx-error.log").string(), "-c",
                                         (prefix_ / "nginx.conf").string()},
                                        prefix_ / "nginx-stdout.log",
                                        {},
                                        prefix_,
                                        {}});
    if (wait_until([&] { return accepts_tcp(port_) || !proc_.running(); }, 5000ms, 10ms) && proc_.running()) {
        return true;
    }
    proc_.stop();
    return false;
}

std::string nginx_proxy::log_tail(std::size_t lines) const { return tail_lines(prefix_ / "nginx-error.log", lines); }

}  // namespace sb_it
