#include "hub/outbox.hpp"

namespace sb {

outbox::outbox(outbound_link& link, outbox_limits limits, delivery_counters& counters, clock_fn now)
    : link_(link), limits_(limits), counters_(counters), now_(std::move(now)) {}

outbox::~outbox() {
    closed_ = true;
    recharge();  // gives its charge back
}

void outbox::recharge() {
    send_budget* b = limits_.budget;
    if (b == nullptr) return;
    const std::size_t owed = closed_ ? 0 : outstanding();
    const std::size_t charge = owed > send_budget::floor ? owed - send_budget::floor : 0;
    if (charge == charged_) return;
    if (charged_ == 0) ++b->charging;
    if (charge == 0) --b->charging;
    b->total = b->total - charged_ + charge;
    charged_ = charge;
}

// Among those charged, at or above the mean charge: the first to conflate and to close.
bool outbox::furthest_behind() const noexcept {
    const send_budget* b = limits_.budget;
    return b != nullptr && charged_ > 0 && charged_ * b->charging >= b->total;
}

bool outbox::may_send() const {
    if (link_.buffered() >= limits_.conflate_bytes) return false;
    return !(limits_.budget != nullptr && limits_.budget->over() && furthest_behind());
}

void outbox::push(const std::string& sensor_id, message_kind kind, const out_message_ptr& f) {
    if (closed_) {
        ++counters_.dropped;
        return;
    }
    if (limits_.budget != nullptr) recharge();  // the transport may have drained since
    if (pending_.empty() && may_send()) {
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
    while (!pending_.empty() && may_send()) {
        out_message_ptr f = pending_.front();
        pending_.pop_front();
        send_now(f);
    }
}

void outbox::enforce_bounds() {
    if (closed_) return;
    recharge();
    const send_budget* b = limits_.budget;
    if (b != nullptr && b->limit != 0 && b->total > 2 * b->limit && furthest_behind()) {
        close_slow();
        return;
    }
    const std::size_t out = outstanding();
    if (out <= limits_.max_buffered_bytes) {
        over_high_since_.reset();
        if (charged_ > 0) request_flush();
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
        recharge();
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
    recharge();
}

}  // namespace sb
