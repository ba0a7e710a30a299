#pragma once
// An outbound WebSocket frame, built once per message and shared by every recipient.
#include <memory>
#include <string>

namespace sb {

class frame {
public:
    explicit frame(std::string text) : text_(std::move(text)) {}
    virtual ~frame() = default;
    frame(const frame&) = delete;
    frame& operator=(const frame&) = delete;

    const std::string& text() const noexcept { return text_; }

private:
    const std::string text_;
};

// Immutable and shared: a transport may derive from frame to carry its own prepared wire form.
using frame_ptr = std::shared_ptr<const frame>;

inline frame_ptr make_text_frame(std::string text) { return std::make_shared<const frame>(std::move(text)); }

}  // namespace sb
