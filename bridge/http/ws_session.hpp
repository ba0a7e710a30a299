#pragma once
// One WebSocket connection as the hub sees it: queues frames on the connection and enforces
// the per-connection outbound bound (websocketpp's own send queue is unbounded).
#include <cstddef>
#include <cstdint>
#include <string>

#include "hub/hub.hpp"
#include "http/ws_server.hpp"

namespace sb {

struct ws_counters {
    std::uint64_t dropped = 0;        // frames not queued: peer closing or over the bound
    std::uint64_t slow_closed = 0;    // connections closed with 4008
};

class ws_session final : public hub_client {
public:
    ws_session(ws_connection_ptr con, std::size_t max_buffered_bytes, ws_counters& counters);

    void deliver(const frame_ptr& f) override;
    void send_text(const std::string& json);  // control replies: acks, errors, pongs
    void close(int code, const std::string& reason);

    bool closing() const noexcept { return closing_; }
    hub::client_id hub_id() const noexcept { return hub_id_; }
    void set_hub_id(hub::client_id id) noexcept { hub_id_ = id; }
    const ws_connection_ptr& connection() const noexcept { return con_; }

private:
    void enforce_bound();

    ws_connection_ptr con_;
    std::size_t max_buffered_;
    ws_counters& counters_;
    hub::client_id hub_id_ = 0;
    bool closing_ = false;
};

}  // namespace sb
