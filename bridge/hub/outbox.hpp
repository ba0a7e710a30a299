#pragma once
// Per-client delivery between "every reading" and "disconnect" (issue 5). Under the low
// watermark (--conflate-bytes) frames are queued on the transport as they come. Past it the
// client is conflated: frames wait in a pending_latest (newest per sensor, latest wins) and
// are queued again once the transport drains back under the low watermark. Outstanding bytes
// (transport queue + pending) over the high watermark (--max-buffered-bytes) for longer than
// the grace (--slow-grace-ms), or over twice the high watermark at any time, close the client
// with 4008. Logic only: the transport is an outbound_link, time an injected clock.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "hub/pending_latest.hpp"
#include "wire/message_kind.hpp"
#include "wire/out_message.hpp"

namespace sb {

// Bytes owed to all clients together (--max-queued-bytes), shared by their outboxes. Each
// charges what it owes past a floor (a client that keeps up owes less and is never charged).
// Over the limit the clients owing the most (at or above the mean charge) are conflated, as if
// past their own low watermark; over twice the limit they are closed as slow consumers. So
// what all clients owe stays under 2 x limit + the floor per client (docs/OPERATIONS.md, Memory).
struct send_budget {
    static constexpr std::size_t floor = 16 * 1024;
    std::size_t limit = 0;     // 0: no bound for all clients together
    std::size_t total = 0;     // the charges of all outboxes
    std::size_t charging = 0;  // outboxes with a charge
    bool over() const noexcept { return limit != 0 && total > limit; }
};

struct outbox_limits {
    std::size_t conflate_bytes = 1024 * 1024;          // low watermark
    std::size_t max_buffered_bytes = 4 * 1024 * 1024;  // high watermark; twice this closes at once
    std::chrono::milliseconds slow_grace{5000};        // time allowed over the high watermark
    send_budget* budget = nullptr;                     // all clients together; nullptr: none
};

struct delivery_counters {
    std::uint64_t dropped = 0;      // frames never queued: peer closing, refused, pending at close
    std::uint64_t conflated = 0;    // pending frames replaced by a newer one of the same sensor
    std::uint64_t slow_closed = 0;  // clients closed with 4008
};

// The transport under an outbox: a WebSocket connection, or a fake in tests.
class outbound_link {
public:
    virtual ~outbound_link() = default;
    virtual bool send(const out_message_ptr& f) = 0;     // queue on the transport; false when refused
    virtual std::size_t buffered() const = 0;      // bytes queued, not yet handed to the socket
    virtual void close_slow() = 0;                 // close with 4008; called at most once
    virtual void want_flush() = 0;                 // asks for outbox::flush() in a few ms
};

class outbox {
public:
    using clock = std::chrono::steady_clock;
    using clock_fn = std::function<clock::time_point()>;

    outbox(outbound_link& link, outbox_limits limits, delivery_counters& counters, clock_fn now = clock::now);
    ~outbox();
    outbox(const outbox&) = delete;
    outbox& operator=(const outbox&) = delete;

    // A frame fanned out by the hub: queued now, or kept as the newest pending one of its sensor.
    void push(const std::string& sensor_id, message_kind kind, const out_message_ptr& f);
    // The owner queued something itself (control reply, snapshot): check the bounds.
    void enforce_bounds();
    // Queues pending frames while the transport is under the low watermark, then checks the
    // bounds. True while it wants to be called again (frames pending, or over the high mark).
    bool flush();
    // The client goes away for another reason: pending frames are dropped, later ones too.
    void discard();

    bool conflating() const noexcept { return !pending_.empty(); }
    bool closed() const noexcept { return closed_; }
    std::size_t pending_count() const noexcept { return pending_.size(); }
    std::size_t outstanding() const { return link_.buffered() + pending_.bytes(); }
    std::size_t charged() const noexcept { return charged_; }  // its part of the send_budget

private:
    void send_now(const out_message_ptr& f);
    void drain_pending();
    void request_flush();
    void close_slow();
    // A charged outbox is flushed until it owes less than the floor, so that its charge follows
    // the transport draining even when nothing new is sent to it.
    bool needs_flush() const noexcept { return !pending_.empty() || over_high_since_.has_value() || charged_ > 0; }
    bool may_send() const;
    void recharge();
    bool furthest_behind() const noexcept;

    outbound_link& link_;
    outbox_limits limits_;
    delivery_counters& counters_;
    clock_fn now_;
    pending_latest pending_;
    std::optional<clock::time_point> over_high_since_;
    bool flush_requested_ = false;  // want_flush() sent and flush() not yet called
    std::size_t charged_ = 0;       // owed past send_budget::floor, as last counted
    bool closed_ = false;
};

}  // namespace sb
