#pragma once
// A server -> client message (docs/PROTOCOL.md §3): its JSON text, built once per message and
// shared by every recipient. A transport may derive from it to carry its own prepared form
// (http/prepared_message: the WebSocket frame header and payload, framed once).
#include <memory>
#include <string>

namespace sb {

class out_message {
public:
    out_message() = default;
    virtual ~out_message() = default;
    out_message(const out_message&) = delete;
    out_message& operator=(const out_message&) = delete;

    virtual const std::string& text() const noexcept = 0;
};

// Immutable and shared.
using out_message_ptr = std::shared_ptr<const out_message>;

// A message that is only its text (tests, transports without a prepared form).
class text_message final : public out_message {
public:
    explicit text_message(std::string text) : text_(std::move(text)) {}
    const std::string& text() const noexcept override { return text_; }

private:
    const std::string text_;
};

inline out_message_ptr make_text_message(std::string text) { return std::make_shared<const text_message>(std::move(text)); }

}  // namespace sb
