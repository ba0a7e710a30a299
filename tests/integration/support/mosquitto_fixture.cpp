#include "support/mosquitto_fixture.hpp"

#include <stdexcept>

#include "support/free_port.hpp"
#include "support/log_file.hpp"
#include "support/wait.hpp"

namespace sb_it {
namespace {

constexpr const char* mosquitto_bin = "/usr/sbin/mosquitto";
constexpr int start_attempts = 5;

// The TLS listener's part of mosquitto.conf (per_listener_settings is on with it).
std::string tls_listener_conf(std::uint16_t port, const mosquitto_tls_listener& t) {
    std::string conf = "listener " + std::to_string(port) + " 127.0.0.1\n"
                       "cafile " + t.ca.string() + "\n"
                       "certfile " + t.cert.string() + "\n"
                       "keyfile " + t.key.string() + "\n"
                       "require_certificate " + (t.require_certificate ? "true" : "false") + "\n";
    if (t.password_file.empty()) return conf + "allow_anonymous true\n";
    return conf + "allow_anonymous false\npassword_file " + t.password_file.string() + "\n";
}

}  // namespace

mosquitto_broker::mosquitto_broker(const std::filesystem::path& dir, std::optional<mosquitto_tls_listener> tls,
                                   bool persistent, std::string extra_config)
    : dir_(dir), log_(dir / "mosquitto.log"), tls_(std::move(tls)), persistent_(persistent),
      extra_config_(std::move(extra_config)) {
    for (int attempt = 0; attempt < start_attempts; ++attempt) {
        if (try_start(dir)) return;
    }
    throw std::runtime_error("mosquitto did not start:\n" + log_tail());
}

bool mosquitto_broker::try_start(const std::filesystem::path& dir) {
    port_ = pick_free_port();
    std::string conf = "listener " + std::to_string(port_) + " 127.0.0.1\n"
                       "allow_anonymous true\n"
                       "max_queued_messages 0\n";
    // As root, mosquitto would switch to its own user and could not write the private temp dir.
    conf += persistent_ ? "user root\npersistence true\npersistence_location " + (dir / "").string() + "\n"
                        : std::string("persistence false\n");
    if (tls_) {
        do tls_port_ = pick_free_port(); while (tls_port_ == port_);
        // The temp dir and its keys are private to the test's user: run as root, mosquitto keeps
        // that user instead of switching to its own, or it could not read them.
        conf = "per_listener_settings true\n" + std::string(persistent_ ? "" : "user root\n") + conf + tls_listener_conf(tls_port_, *tls_);
    }
    write_file(dir / "mosquitto.conf", conf + extra_config_);
    return launch();
}

bool mosquitto_broker::launch() {
    const auto conf = dir_ / "mosquitto.conf";
    proc_ = child_process(spawn_options{{mosquitto_bin, "-c", conf.string()}, log_, {}, dir_, {}});
    // Ready when it accepts; gone when the port was taken in between.
    const bool up = wait_until(
        [this] { return !proc_.running() || (accepts_tcp(port_) && (tls_port_ == 0 || accepts_tcp(tls_port_))); },
        5000ms, 5ms);
    if (up && proc_.running()) return true;
    proc_.stop();
    return false;
}

void mosquitto_broker::stop() { proc_.stop(); }

void mosquitto_broker::restart() {
    proc_.stop();
    if (!launch()) {
        throw std::runtime_error("mosquitto did not restart on port " + std::to_string(port_) + ":\n" + log_tail());
    }
}

std::string mosquitto_broker::log_tail(std::size_t lines) const { return tail_lines(log_, lines); }

}  // namespace sb_it
