#include "http/write_scheduler.hpp"

#include <asio/post.hpp>

namespace sb {

write_scheduler::write_scheduler(asio::io_context& io, hub& h) : io_(io), hub_(h), timer_(io) {
    hub_.set_wake([this](clock::time_point due) { schedule(due); });
}

write_scheduler::~write_scheduler() { hub_.set_wake(nullptr); }

void write_scheduler::write_after_turn(std::shared_ptr<scheduled_writer> w) {
    write_queue_.push_back(std::move(w));
    if (write_posted_) return;
    write_posted_ = true;
    asio::post(io_, [this] {
        write_posted_ = false;
        std::vector<std::shared_ptr<scheduled_writer>> batch;
        batch.swap(write_queue_);
        for (const auto& writer : batch) writer->write_batch();
    });
}

void write_scheduler::flush_soon(std::weak_ptr<scheduled_writer> w) {
    flush_queue_.push_back(std::move(w));
    schedule(clock::now() + flush_tick);
}

void write_scheduler::stop() {
    stopped_ = true;
    timer_.cancel();
}

void write_scheduler::schedule(clock::time_point at) {
    if (stopped_) return;
    if (armed_ && timer_.expiry() <= at) return;
    armed_ = true;
    timer_.expires_at(at);  // a later wait is cancelled: its handler sees operation_aborted
    timer_.async_wait([this](const asio::error_code& ec) {
        if (ec == asio::error::operation_aborted) return;
        armed_ = false;
        if (!ec && !stopped_) on_tick();
    });
}

void write_scheduler::on_tick() {
    std::vector<std::weak_ptr<scheduled_writer>> waiting;
    waiting.swap(flush_queue_);
    for (const auto& weak : waiting) {
        auto w = weak.lock();
        if (w && w->flush()) flush_queue_.push_back(weak);
    }
    if (!flush_queue_.empty()) schedule(clock::now() + flush_tick);
    if (auto due = hub_.flush_due()) schedule(*due);
}

}  // namespace sb
