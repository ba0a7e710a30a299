#pragma once
// An outbound WebSocket frame, built once per message and shared by every recipient.
#include <memory>
#include <string>

namespace sb {

class frame {
public:
    frame() = default;
    virtual ~frame() = default;
    frame(const frame&) = delete;
    frame& operator=(const frame&) = delete;

    virtual const std::string& text() const noexcept = 0;
};

// Immutable and shared: a transport derives from frame to carry its own prepared wire form.
using frame_ptr = std::shared_ptr<const frame>;

// A frame that is only its text (tests, transports without a prepared form).
class text_frame final : public frame {
public:
    explicit text_frame(std::string text) : text_(std::move(text)) {}
    const std::string& text() const noexcept override { return text_; }

private:
    const std::string text_;
};

inline frame_ptr make_text_frame(std::string text) { return std::make_shared<const text_frame>(std::move(text)); }

}  // namespace sb
