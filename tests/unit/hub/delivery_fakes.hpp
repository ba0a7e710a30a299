#pragma once
// Fakes for the delivery tests: a transport whose queue the test fills and drains by hand,
// and a clock the test moves.
#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "hub/outbox.hpp"
#include "wire/out_message.hpp"

namespace sb::testing {

struct manual_clock {
    std::chrono::steady_clock::time_point t{std::chrono::seconds(1000)};
    std::chrono::steady_clock::time_point operator()() const { return t; }
    void advance(std::chrono::milliseconds d) { t += d; }
};

// Every sent frame stays "buffered" until drain(): a peer that reads only when told to.
struct fake_link : outbound_link {
    std::vector<std::string> sent;
    std::size_t queued = 0;
    int closed_slow = 0;
    int flush_requests = 0;
    bool refuse = false;

    bool send(const out_message_ptr& f) override {
        if (refuse) return false;
        sent.push_back(f->text());
        queued += f->text().size();
        return true;
    }
    std::size_t buffered() const override { return queued; }
    void close_slow() override { ++closed_slow; }
    void want_flush() override { ++flush_requests; }
    void drain() { queued = 0; }
};

// A frame whose text is a tag padded to size bytes, so byte bounds are easy to reason about.
inline out_message_ptr sized_frame(const std::string& tag, std::size_t size) {
    std::string text = tag;
    if (text.size() < size) text.append(size - text.size(), '.');
    return make_text_message(std::move(text));
}

// The tag of a sized_frame's text (up to the padding).
inline std::string tag_of(const std::string& text) { return text.substr(0, text.find('.')); }

inline std::vector<std::string> tags(const std::vector<std::string>& texts) {
    std::vector<std::string> out;
    for (const auto& t : texts) out.push_back(tag_of(t));
    return out;
}

}  // namespace sb::testing
