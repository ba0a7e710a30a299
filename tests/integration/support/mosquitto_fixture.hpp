#pragma once
// A private mosquitto broker on a free loopback port, stopped by pid when destroyed.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "support/child_process.hpp"

namespace sb_it {

// A TLS listener beside the plain one (publishers keep using the plain port).
struct mosquitto_tls_listener {
    std::filesystem::path ca;    // CA that client certificates must chain to
    std::filesystem::path cert;  // the broker's certificate and key
    std::filesystem::path key;
    bool require_certificate = false;
    std::filesystem::path password_file;  // set: a user name and password are required there
};

class mosquitto_broker {
public:
    // Starts /usr/sbin/mosquitto with its config and log in dir and waits until it accepts
    // connections. Throws std::runtime_error (with the broker log) when it cannot.
    // persistent: it saves its retained messages and sessions in dir when stopped and loads
    // them when started again (restart()).
    // extra_config: lines appended to mosquitto.conf (e.g. a bridge to another broker).
    explicit mosquitto_broker(const std::filesystem::path& dir, std::optional<mosquitto_tls_listener> tls = {},
                              bool persistent = false, std::string extra_config = {});

    std::uint16_t port() const noexcept { return port_; }
    std::uint16_t tls_port() const noexcept { return tls_port_; }  // 0 without a TLS listener

    // An outage: stop the broker (by pid), then start it again on the same port.
    void stop();
    void restart();
    std::string log_tail(std::size_t lines = 20) const;

private:
    bool try_start(const std::filesystem::path& dir);
    bool launch();  // starts with the current config; true once it accepts connections

    child_process proc_;
    std::filesystem::path dir_;
    std::filesystem::path log_;
    std::optional<mosquitto_tls_listener> tls_;
    bool persistent_ = false;
    std::string extra_config_;
    std::uint16_t port_ = 0;
    std::uint16_t tls_port_ = 0;
};

}  // namespace sb_it
