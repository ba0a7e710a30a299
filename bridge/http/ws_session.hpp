#pragma once
// One WebSocket connection. Readings and statuses from the hub go through an outbox (queued,
// conflated past --conflate-bytes, closed with 4008 when too far behind): websocketpp's own
// send queue is unbounded. It is the hub's client, the client protocol's peer and the write
// scheduler's writer; it decides nothing itself.
#include <cstddef>
#include <memory>
#include <string>

#include "http/connection_guard.hpp"
#include "http/protocol_peer.hpp"
#include "http/write_scheduler.hpp"
#include "http/ws_server.hpp"
#include "hub/hub.hpp"
#include "hub/outbox.hpp"

namespace sb {

// Messages of one loop turn are coalesced: their wire bytes are appended to one buffer that
// leaves as a single websocketpp message (one write, one syscall) when the scheduler calls
// write_batch() at the end of the turn. Queuing each message on its own made asio write at
// most 64 buffers per trip through the io_context, and a burst outran the socket.
class ws_session final : public hub_client,
                         public protocol_peer,
                         public scheduled_writer,
                         private outbound_link,
                         public std::enable_shared_from_this<ws_session> {
public:
    // scheduler: null writes every message at once (no coalescing, no delayed flush).
    // address: the peer's IP (per-address limit); guard: its auth state, message rate and deadlines.
    ws_session(ws_connection_ptr con, outbox_limits limits, delivery_counters& counters, write_scheduler* scheduler,
               std::string address, connection_guard guard, std::shared_ptr<send_budget> budget = nullptr);

    // From the hub: queued, or conflated with the sensor's newer message while the peer is behind.
    void deliver(const std::string& sensor_id, const out_message_ptr& m, message_kind kind) override;
    // protocol_peer
    void deliver(const out_message_ptr& m) override;  // a snapshot: queued as is, counted toward the bound
    void send_text(const std::string& json) override;  // control replies: acks, errors, pongs; never conflated
    void close(int code, const std::string& reason) override;
    connection_guard& guard() override { return guard_; }
    hub::client_id hub_id() const override { return hub_id_; }
    std::string remote() const override { return con_->get_remote_endpoint(); }
    std::string resource() const override { return con_->get_resource(); }
    // scheduled_writer
    bool flush() override { return !closing_ && outbox_.flush(); }
    void write_batch() override;

    bool closing() const noexcept { return closing_; }
    bool conflating() const noexcept { return outbox_.conflating(); }
    void set_hub_id(hub::client_id id) noexcept { hub_id_ = id; }
    const ws_connection_ptr& connection() const noexcept { return con_; }
    const std::string& address() const noexcept { return address_; }

private:
    // outbound_link, for the outbox
    bool send(const out_message_ptr& m) override;
    std::size_t buffered() const override;
    void close_slow() override;
    void want_flush() override;

    ws_connection_ptr con_;
    delivery_counters& counters_;
    write_scheduler* scheduler_;
    std::string batch_;  // wire bytes of whole messages, not yet handed to websocketpp
    std::shared_ptr<send_budget> budget_;  // outlives outbox_, which charges it
    outbox outbox_;
    hub::client_id hub_id_ = 0;
    bool closing_ = false;
    std::string address_;
    connection_guard guard_;
};

}  // namespace sb
