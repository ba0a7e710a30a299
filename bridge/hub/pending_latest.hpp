#pragma once
// The frames a conflating client still owes: the newest one per (sensor, kind), latest wins.
// Kept in the order of their last update, so what the client finally receives is a
// subsequence of the stream it would have received, in the same order. At most one entry per
// sensor and kind: bounded by the sensors the client subscribes to.
#include <array>
#include <cstddef>
#include <list>
#include <string>
#include <unordered_map>

#include "wire/message_kind.hpp"
#include "wire/out_message.hpp"

namespace sb {

class pending_latest {
public:
    // Keeps f as the pending frame of (sensor_id, kind), after every other pending frame.
    // True when it replaced an older pending frame of the same key (one reading conflated).
    bool put(const std::string& sensor_id, message_kind kind, const out_message_ptr& f);

    bool empty() const noexcept { return order_.empty(); }
    std::size_t size() const noexcept { return order_.size(); }
    // Payload bytes of the pending frames (the frames themselves are shared, not copied).
    std::size_t bytes() const noexcept { return bytes_; }

    const out_message_ptr& front() const { return order_.front().message; }
    void pop_front();
    void clear();

private:
    struct entry {
        std::string sensor_id;
        message_kind kind;
        out_message_ptr message;
    };
    using index = std::unordered_map<std::string, std::list<entry>::iterator>;

    index& index_of(message_kind kind) { return by_kind_[static_cast<std::size_t>(kind)]; }

    std::list<entry> order_;
    std::array<index, 2> by_kind_;  // one index per message_kind
    std::size_t bytes_ = 0;
};

}  // namespace sb
