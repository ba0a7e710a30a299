#include "hub/outbox.hpp"

namespace sb {

outbox::outbox(outbound_link& link, outbox_limits limits, delivery_counters& counters, clock_fn now)
    : link_(link), limits_(limits), counters_(counters), now_(std::move(now)) {}

void outbox::push(const std::string& sensor_id, message_kind kind, const out_message_ptr& f) {
    if (closed_) {
        ++counters_.dropped;
        return;
    }
    if (pending_.empty() && link_.buffered() < limits_.conflate_bytes) {
        send_now(f);
    } else {
        // Once anything is pending every frame goes through pending, so order is kept.
        if (pending_.put(sensor_id, kind, f)) ++counters_.conflated;
        drain_pending();
        if (!pending_.empty()) request_flush();
    }
    enforce_bounds();
}

void outbox::send_now(const out_message_ptr& f) {
    if (!link_.send(f)) ++counters_.dropped;
}

void outbox::drain_pending() {
    while (!pending_.empty() && link_.buffered() < limits_.conflate_bytes) {
        out_message_ptr f = pending_.front();
        pending_.pop_front();
        send_now(f);
    }
}

void outbox::enforce_bounds() {
    if (closed_) return;
    const std::size_t out = outstanding();
    if (out <= limits_.max_buffered_bytes) {
        over_high_since_.reset();
        return;
    }
    const clock::time_point now = now_();
    if (!over_high_since_) over_high_since_ = now;
    if (out > 2 * limits_.max_buffered_bytes || now - *over_high_since_ >= limits_.slow_grace) {
        close_slow();
        return;
    }
    request_flush();  // to close after the grace even when nothing else is sent
}

bool outbox::flush() {
    flush_requested_ = true;  // no want_flush() from inside: the answer says it all
    if (!closed_) {
        drain_pending();
        enforce_bounds();
    }
    flush_requested_ = !closed_ && needs_flush();
    return flush_requested_;
}

void outbox::request_flush() {
    if (flush_requested_) return;
    flush_requested_ = true;
    link_.want_flush();
}

void outbox::close_slow() {
    discard();
    ++counters_.slow_closed;
    link_.close_slow();
}

void outbox::discard() {
    if (closed_) return;
    closed_ = true;
    counters_.dropped += pending_.size();
    pending_.clear();
    over_high_since_.reset();
}

}  // namespace sb
