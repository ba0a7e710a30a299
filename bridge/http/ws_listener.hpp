#pragma once
// The one listening port: WebSocket at GET /ws, every other request to the HTTP handler. It
// admits connections (path, Origin, counts, the handshake's token), keeps the registry of open
// sessions, pings them (heartbeat) and closes those whose guard deadline passed. What a
// client's messages do is the client_protocol's; when sessions write, the write_scheduler's.
// Runs on the network thread's io_context; handlers never throw.
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "auth/token_verifier.hpp"
#include "core/stats.hpp"
#include "http/address_limit.hpp"
#include "http/client_protocol.hpp"
#include "http/connection_guard.hpp"
#include "http/host_check.hpp"
#include "http/http_types.hpp"
#include "http/write_scheduler.hpp"
#include "http/ws_handshake.hpp"
#include "http/ws_listener_options.hpp"
#include "http/ws_server.hpp"
#include "http/ws_session.hpp"
#include "hub/hub.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class ws_listener {
public:
    using request_handler = std::function<http_reply(const http_request&)>;

    ws_listener(asio::io_context& io, hub& h, const sensor_registry& registry, ws_listener_options opts,
                request_handler on_http);
    ~ws_listener();

    // Binds and starts accepting. Throws std::runtime_error when the address cannot be bound.
    void listen();
    std::uint16_t port() const noexcept { return port_; }
    bool tls() const noexcept { return server_->tls(); }

    // Stops accepting and closes every connection with 1001. Idempotent.
    void stop();

    ws_stats stats() const;

    // After the token file was reloaded: every connection's token is checked again.
    void recheck_tokens();

private:
    using hdl = websocketpp::connection_hdl;

    void set_handlers();
    bool on_validate(hdl h);
    void on_open(hdl h);
    void on_close(hdl h);
    void release(hdl h);
    void handle_http(hdl h);
    // The request's Host when it is this bridge's (an empty host when none came: no browser);
    // nullopt, logged, when it is not (DNS rebinding) or is malformed.
    std::optional<host_port> own_host(const ws_connection_ptr& con);
    bool origin_allowed(const ws_connection_ptr& con, const host_port& host) const;
    void schedule_heartbeat();
    void schedule_guard_sweep();
    void on_guard_sweep();
    std::shared_ptr<ws_session> session_for(hdl h) const;

    asio::io_context& io_;
    hub& hub_;
    ws_listener_options opts_;
    request_handler on_http_;
    std::unique_ptr<ws_server> server_;  // plain or TLS: the code above it is the same
    write_scheduler writes_;
    client_protocol protocol_;
    asio::steady_timer heartbeat_;
    asio::steady_timer guard_timer_;  // auth deadlines, idle connections, expired tokens
    std::map<hdl, std::shared_ptr<ws_session>, std::owner_less<hdl>> sessions_;
    // Validated handshakes not yet open: their address (counted) and the token they carried.
    struct pending_handshake {
        std::string address;
        handshake_token token;
    };
    std::map<hdl, pending_handshake, std::owner_less<hdl>> pending_;
    address_limit per_address_;
    host_allowlist hosts_;
    std::vector<origin_parts> allowed_origins_;
    delivery_counters counters_;
    // What all sessions owe together (--max-queued-bytes); shared so that a session ending
    // after the listener still gives its charge back to a live object.
    std::shared_ptr<send_budget> budget_;
    std::uint64_t http_auth_failures_ = 0;  // REST requests with a refused token
    std::uint16_t port_ = 0;
    bool stopping_ = false;
};

}  // namespace sb
