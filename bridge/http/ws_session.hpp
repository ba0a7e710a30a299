#pragma once
// One WebSocket connection as the hub sees it. Readings and statuses from the hub go through
// an outbox (queued, conflated past --conflate-bytes, closed with 4008 when too far behind):
// websocketpp's own send queue is unbounded.
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "http/connection_guard.hpp"
#include "hub/hub.hpp"
#include "hub/outbox.hpp"
#include "http/ws_server.hpp"

namespace sb {

using ws_counters = delivery_counters;

// Frames of one loop turn are coalesced: their wire bytes are appended to one buffer that
// leaves as a single websocketpp message (one write, one syscall) when the endpoint calls
// write_batch() at the end of the turn. Queuing each frame on its own made asio write at most
// 64 buffers per trip through the io_context, and a burst outran the socket.
class ws_session final : public hub_client, private outbound_link, public std::enable_shared_from_this<ws_session> {
public:
    // want_flush: asks the endpoint to call flush() on its next tick.
    // want_write: asks the endpoint to call write_batch() once the current handler returns.
    // address: the peer's IP (per-address limit); guard: its auth state, message rate and deadlines.
    ws_session(ws_connection_ptr con, outbox_limits limits, ws_counters& counters, std::function<void()> want_flush,
               std::function<void(std::shared_ptr<ws_session>)> want_write, std::string address = {},
               connection_guard guard = connection_guard({}, false, std::chrono::steady_clock::now()));

    // From the hub: queued, or conflated with the sensor's newer frame while the peer is behind.
    void deliver(const std::string& sensor_id, const frame_ptr& f, frame_kind kind) override;
    // Outside the hub's fan-out (snapshot on subscribe): queued as is, counted toward the bound.
    void deliver(const frame_ptr& f);
    void send_text(const std::string& json);  // control replies: acks, errors, pongs; never conflated
    void close(int code, const std::string& reason);
    // Queues conflated frames the peer has room for; true while it needs another call.
    bool flush() { return outbox_.flush(); }
    // Hands the frames coalesced this turn to websocketpp as one prepared message.
    void write_batch();

    bool closing() const noexcept { return closing_; }
    bool conflating() const noexcept { return outbox_.conflating(); }
    hub::client_id hub_id() const noexcept { return hub_id_; }
    void set_hub_id(hub::client_id id) noexcept { hub_id_ = id; }
    const ws_connection_ptr& connection() const noexcept { return con_; }
    const std::string& address() const noexcept { return address_; }
    connection_guard& guard() noexcept { return guard_; }

private:
    // outbound_link, for the outbox
    bool send(const frame_ptr& f) override;
    std::size_t buffered() const override;
    void close_slow() override;
    void want_flush() override;

    ws_connection_ptr con_;
    ws_counters& counters_;
    std::function<void()> want_flush_;
    std::function<void(std::shared_ptr<ws_session>)> want_write_;
    std::string batch_;  // wire bytes of whole frames, not yet handed to websocketpp
    outbox outbox_;
    hub::client_id hub_id_ = 0;
    bool closing_ = false;
    std::string address_;
    connection_guard guard_;
};

}  // namespace sb
