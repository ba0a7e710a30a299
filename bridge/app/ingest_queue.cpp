#include "app/ingest_queue.hpp"

namespace sb {

ingest_queue::push_result ingest_queue::push(mqtt_message&& m) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (queue_.size() >= capacity_) return push_result::full;
    const std::size_t c = cost(m);
    if (!queue_.empty() && bytes_ + c > max_bytes_) return push_result::full;
    bytes_ += c;
    queue_.push_back(std::move(m));
    if (drain_scheduled_) return push_result::queued;
    drain_scheduled_ = true;
    return push_result::queued_wake;
}

bool ingest_queue::pop_batch(std::vector<mqtt_message>& out, std::size_t max) {
    out.clear();
    std::lock_guard<std::mutex> lock(mutex_);
    while (!queue_.empty() && out.size() < max) {
        bytes_ -= cost(queue_.front());
        out.push_back(std::move(queue_.front()));
        queue_.pop_front();
    }
    drain_scheduled_ = !queue_.empty();
    return drain_scheduled_;
}

std::size_t ingest_queue::size() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return queue_.size();
}

std::size_t ingest_queue::bytes() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return bytes_;
}

}  // namespace sb
