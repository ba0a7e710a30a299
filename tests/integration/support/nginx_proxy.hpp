#pragma once
// nginx (Debian's package) as a private foreground process in front of bridges, configured from
// packaging/nginx/cluster.conf.in, on a free loopback port; stopped by pid when destroyed.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace sb_it {

inline const std::filesystem::path nginx_binary{"/usr/sbin/nginx"};

class nginx_proxy {
public:
    // Writes dir/nginx/nginx.conf with the bridges on upstream_ports and waits until nginx
    // accepts connections. Throws std::runtime_error with its error log when it cannot.
    nginx_proxy(const std::filesystem::path& dir, const std::vector<std::uint16_t>& upstream_ports);

    std::uint16_t port() const noexcept { return port_; }
    std::string log_tail(std::size_t lines = 20) const;

private:
    bool try_start(const std::vector<std::uint16_t>& upstream_ports);

    std::filesystem::path prefix_;
    child_process proc_;
    std::uint16_t port_ = 0;
};

}  // namespace sb_it
