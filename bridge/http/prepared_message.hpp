#pragma once
// A frame whose WebSocket wire form (header + payload) is prepared once, so the same buffer is
// queued on every connection instead of being re-framed per subscriber.
#include <string>

#include "http/ws_server.hpp"
#include "wire/out_message.hpp"

namespace sb {

class prepared_message final : public out_message {
public:
    explicit prepared_message(std::string text);  // moved into the prepared message, not copied
    const std::string& text() const noexcept override { return wire_->get_payload(); }
    const ws_message_ptr& wire() const noexcept { return wire_; }

private:
    ws_message_ptr wire_;
};

out_message_ptr make_prepared_message(std::string text);

}  // namespace sb
