#include "http/ws_session.hpp"

#include "core/error_code.hpp"
#include "core/log.hpp"
#include "http/ws_frame.hpp"

namespace sb {

ws_session::ws_session(ws_connection_ptr con, std::size_t max_buffered_bytes, ws_counters& counters)
    : con_(std::move(con)), max_buffered_(max_buffered_bytes), counters_(counters) {}

void ws_session::deliver(const frame_ptr& f) {
    if (closing_) {
        ++counters_.dropped;
        return;
    }
    websocketpp::lib::error_code ec;
    if (const auto* prepared = dynamic_cast<const ws_frame*>(f.get())) {
        ec = con_->send(prepared->wire());
    } else {
        ec = con_->send(f->text(), websocketpp::frame::opcode::text);
    }
    if (ec) {
        ++counters_.dropped;
        return;
    }
    enforce_bound();
}

void ws_session::send_text(const std::string& json) {
    if (closing_) return;
    websocketpp::lib::error_code ec = con_->send(json, websocketpp::frame::opcode::text);
    if (!ec) enforce_bound();
}

void ws_session::enforce_bound() {
    if (con_->get_buffered_amount() <= max_buffered_) return;
    ++counters_.slow_closed;
    SB_LOG(warn, "ws", "slow consumer closed",
           "peer=" + log_quote(con_->get_remote_endpoint()) +
               " buffered=" + std::to_string(con_->get_buffered_amount()));
    close(close_code::slow_consumer, "slow consumer");
}

void ws_session::close(int code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    websocketpp::lib::error_code ec;
    con_->close(static_cast<websocketpp::close::status::value>(code), reason, ec);
}

}  // namespace sb
