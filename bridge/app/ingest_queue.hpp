#pragma once
// Bounded hand-off of MQTT messages from the library's thread to the network thread. The
// network thread drains it in small batches and re-posts itself between them, so socket
// writes (and the slow-consumer checks that depend on them) get their turn during a burst
// instead of waiting behind thousands of queued messages.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <mutex>
#include <vector>

#include "ingest/mqtt_source.hpp"

namespace sb {

class ingest_queue {
public:
    enum class push_result {
        queued,        // a drain is already scheduled
        queued_wake,   // the caller must schedule a drain
        full,          // refused: capacity reached
    };

    // capacity: messages; max_bytes: their topics and payloads together (one message always
    // fits in an empty queue, whatever its size).
    explicit ingest_queue(std::size_t capacity, std::size_t max_bytes = SIZE_MAX)
        : capacity_(capacity), max_bytes_(max_bytes) {}
    // What a queued message is counted as: its topic and payload, and the queue's entry.
    static std::size_t cost(const mqtt_message& m) noexcept {
        return m.topic.size() + m.payload.size() + sizeof(mqtt_message);
    }

    push_result push(mqtt_message&& m);

    // Moves up to max messages into out (cleared first). Returns true when messages remain,
    // i.e. the caller must schedule another drain; false ends the scheduled drain.
    bool pop_batch(std::vector<mqtt_message>& out, std::size_t max);

    std::size_t size() const;
    std::size_t bytes() const;

private:
    mutable std::mutex mutex_;
    std::deque<mqtt_message> queue_;
    std::size_t capacity_;
    std::size_t max_bytes_;
    std::size_t bytes_ = 0;
    bool drain_scheduled_ = false;
};

}  // namespace sb
