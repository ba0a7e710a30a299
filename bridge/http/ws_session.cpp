#include "http/ws_session.hpp"

#include "core/error_code.hpp"
#include "core/log.hpp"
#include "http/ws_frame.hpp"

namespace sb {

ws_session::ws_session(ws_connection_ptr con, outbox_limits limits, ws_counters& counters,
                       std::function<void()> want_flush)
    : con_(std::move(con)), counters_(counters), want_flush_(std::move(want_flush)), outbox_(*this, limits, counters) {}

void ws_session::deliver(const std::string& sensor_id, const frame_ptr& f, frame_kind kind) {
    outbox_.push(sensor_id, kind, f);
}

void ws_session::deliver(const frame_ptr& f) {
    if (!send(f)) {
        ++counters_.dropped;
        return;
    }
    outbox_.enforce_bounds();
}

void ws_session::send_text(const std::string& json) {
    if (closing_) return;
    websocketpp::lib::error_code ec = con_->send(json, websocketpp::frame::opcode::text);
    if (!ec) outbox_.enforce_bounds();
}

bool ws_session::send(const frame_ptr& f) {
    if (closing_) return false;
    websocketpp::lib::error_code ec;
    if (const auto* prepared = dynamic_cast<const ws_frame*>(f.get())) {
        ec = con_->send(prepared->wire());
    } else {
        ec = con_->send(f->text(), websocketpp::frame::opcode::text);
    }
    return !ec;
}

std::size_t ws_session::buffered() const { return con_->get_buffered_amount(); }

void ws_session::want_flush() {
    if (want_flush_) want_flush_();
}

void ws_session::close_slow() {
    SB_LOG(warn, "ws", "slow consumer closed",
           "peer=" + log_quote(con_->get_remote_endpoint()) + " buffered=" + std::to_string(buffered()));
    close(close_code::slow_consumer, "slow consumer");
}

void ws_session::close(int code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    outbox_.discard();
    websocketpp::lib::error_code ec;
    con_->close(static_cast<websocketpp::close::status::value>(code), reason, ec);
}

}  // namespace sb
