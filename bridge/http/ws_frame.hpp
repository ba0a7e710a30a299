#pragma once
// A frame whose WebSocket wire form (header + payload) is prepared once, so the same buffer is
// queued on every connection instead of being re-framed per subscriber.
#include <string>

#include "core/frame.hpp"
#include "http/ws_server.hpp"

namespace sb {

class ws_frame final : public frame {
public:
    explicit ws_frame(std::string text);  // moved into the prepared message, not copied
    const std::string& text() const noexcept override { return wire_->get_payload(); }
    const ws_message_ptr& wire() const noexcept { return wire_; }

private:
    ws_message_ptr wire_;
};

frame_ptr make_ws_frame(std::string text);

}  // namespace sb
