#include "http/ws_session.hpp"

#include "core/log.hpp"
#include "http/prepared_message.hpp"
#include "wire/error_code.hpp"

namespace sb {
namespace {

outbox_limits with_budget(outbox_limits limits, send_budget* budget) {
    limits.budget = budget;
    return limits;
}

}  // namespace

ws_session::ws_session(ws_connection_ptr con, outbox_limits limits, delivery_counters& counters,
                       write_scheduler* scheduler, std::string address, connection_guard guard,
                       std::shared_ptr<send_budget> budget)
    : con_(std::move(con)),
      counters_(counters),
      scheduler_(scheduler),
      budget_(std::move(budget)),
      outbox_(*this, with_budget(limits, budget_.get()), counters),
      address_(std::move(address)),
      guard_(std::move(guard)) {}

void ws_session::deliver(const std::string& sensor_id, const out_message_ptr& f, message_kind kind) {
    outbox_.push(sensor_id, kind, f);
}

void ws_session::deliver(const out_message_ptr& f) {
    if (!send(f)) {
        ++counters_.dropped;
        return;
    }
    outbox_.enforce_bounds();
}

void ws_session::send_text(const std::string& json) {
    if (closing_) return;
    write_batch();  // keeps the order frames were queued in
    websocketpp::lib::error_code ec = con_->send(json, websocketpp::frame::opcode::text);
    if (!ec) outbox_.enforce_bounds();
}

bool ws_session::send(const out_message_ptr& f) {
    if (closing_) return false;
    if (const auto* prepared = dynamic_cast<const prepared_message*>(f.get())) {
        const ws_message_ptr& wire = prepared->wire();
        if (batch_.empty() && scheduler_) scheduler_->write_after_turn(shared_from_this());
        batch_.append(wire->get_header());
        batch_.append(wire->get_payload());
        if (!scheduler_) write_batch();
        return true;
    }
    write_batch();
    websocketpp::lib::error_code ec = con_->send(f->text(), websocketpp::frame::opcode::text);
    return !ec;
}

void ws_session::write_batch() {
    if (batch_.empty()) return;
    if (closing_) {
        batch_.clear();
        return;
    }
    // Already framed: a prepared message with no header goes to the socket byte for byte.
    auto msg = std::make_shared<ws_message_ptr::element_type>(ws_message_ptr::element_type::con_msg_man_ptr(),
                                                              websocketpp::frame::opcode::text, 0);
    msg->get_raw_payload().swap(batch_);
    msg->set_prepared(true);
    batch_.clear();
    websocketpp::lib::error_code ec = con_->send(msg);
    if (ec) counters_.dropped += 1;
}

std::size_t ws_session::buffered() const { return con_->get_buffered_amount() + batch_.size(); }

void ws_session::want_flush() {
    if (scheduler_) scheduler_->flush_soon(weak_from_this());
}

void ws_session::close_slow() {
    SB_LOG(warn, "ws", "slow consumer closed",
           "peer=" + log_quote(con_->get_remote_endpoint()) + " buffered=" + std::to_string(buffered()));
    close(close_code::slow_consumer, "slow consumer");
}

void ws_session::close(int code, const std::string& reason) {
    if (closing_) return;
    closing_ = true;
    batch_.clear();
    outbox_.discard();
    websocketpp::lib::error_code ec;
    con_->close(static_cast<websocketpp::close::status::value>(code), reason, ec);
}

}  // namespace sb
