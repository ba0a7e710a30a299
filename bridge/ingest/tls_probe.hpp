#pragma once
// Why a TLS connection to the broker fails, in OpenSSL's words. Paho reports a failed ssl://
// connect as "return code -1" and checks the host name after the handshake without saying
// which check failed, so after a failed attempt paho_mqtt_source repeats the handshake here,
// with the same trust store, client certificate and host-name rule, and logs the reason.
// No MQTT is spoken and no credentials are sent: the probe ends after the handshake plus a
// short wait for the broker's verdict on the client certificate (TLS 1.3 sends it then).
// Network thread only; one probe at a time, bounded by a timeout.
#include <asio/io_context.hpp>
#include <asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <string>

#include "ingest/broker_url.hpp"
#include "ingest/mqtt_source.hpp"

namespace sb {

class tls_probe {
public:
    // reason: what went wrong, or empty when the TLS session was fine (the failure lies beyond it).
    using result_handler = std::function<void(const std::string& reason)>;

    // Throws std::runtime_error when the files do not load (start-up checked them already).
    tls_probe(asio::io_context& io, const mqtt_tls_options& tls);
    ~tls_probe();
    tls_probe(const tls_probe&) = delete;
    tls_probe& operator=(const tls_probe&) = delete;

    // Starts a probe; false (and done never runs) while one is still running. done runs on the
    // io_context, never after cancel().
    bool start(const broker_address& broker, result_handler done);
    void cancel();

private:
    struct attempt;

    asio::io_context& io_;
    asio::ssl::context ctx_;
    std::shared_ptr<attempt> current_;
};

}  // namespace sb
