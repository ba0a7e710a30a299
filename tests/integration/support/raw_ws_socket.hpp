#pragma once
// A hand-driven WebSocket client on a plain TCP socket: it completes the HTTP Upgrade itself
// and then reads only when told to, which is how a slow consumer (or a stuck browser tab)
// looks to the server. Also used to see the status of a refused handshake.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace sb_it {

struct close_result {
    bool saw_close_frame = false;
    int code = 0;            // from the close frame
    std::string reason;      // from the close frame, after the code
    bool eof = false;        // the connection ended (EOF or reset)
    std::size_t data_frames = 0;
};

class raw_ws_socket {
public:
    // Connects to 127.0.0.1:port; a receive_buffer > 0 shrinks SO_RCVBUF before connecting; a
    // source_address ("127.0.0.2": any of 127/8 works on Linux) is bound before connecting.
    explicit raw_ws_socket(std::uint16_t port, int receive_buffer = 0, const std::string& source_address = "");
    ~raw_ws_socket();
    raw_ws_socket(const raw_ws_socket&) = delete;
    raw_ws_socket& operator=(const raw_ws_socket&) = delete;

    // Sends the Upgrade request for path; returns the HTTP status of the answer (0: none).
    // extra_headers: whole lines without CRLF ("Authorization: Bearer x").
    int handshake(const std::string& path = "/ws", const std::string& origin = "",
                  std::chrono::milliseconds timeout = std::chrono::milliseconds(3000),
                  const std::vector<std::string>& extra_headers = {});
    // Reads an HTTP answer's head (after send_raw); its status, 0 when none came in time.
    int read_http_status(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
    // The headers of the last handshake's answer, as received.
    const std::string& handshake_response() const noexcept { return response_; }

    // Sends one masked text frame.
    bool send_text(const std::string& text);

    // Sends one frame exactly as described: first_byte is FIN|RSV1-3|opcode as on the wire,
    // the length uses the shortest encoding, the payload is masked unless told otherwise.
    bool send_frame(std::uint8_t first_byte, const std::string& payload, bool masked = true);
    // Sends bytes as they are (hand-made headers: non-minimal or impossible lengths).
    bool send_raw(const std::string& bytes) { return send_all(bytes); }

    // The next whole frame (opcode, payload) arriving within timeout.
    std::optional<std::pair<int, std::string>> next_frame(std::chrono::milliseconds timeout);

    // Reads frames until a close frame arrives or the connection ends, within timeout.
    close_result read_until_close(std::chrono::milliseconds timeout);

    // The port this end of the connection is bound to (how the server's side is found).
    std::uint16_t local_port() const;
    // The connection ended (EOF or reset); frames already received can still be taken.
    bool ended() const noexcept { return eof_; }

private:
    bool send_all(const std::string& bytes);
    // Appends what arrives within timeout to buffer_; false on EOF/error/timeout.
    bool receive_some(std::chrono::steady_clock::time_point deadline, bool& eof);
    std::optional<std::pair<int, std::string>> take_frame();  // a whole frame from buffer_
    bool eof_ = false;

    int fd_ = -1;
    std::string buffer_;  // bytes received but not yet parsed
    std::string response_;
};

}  // namespace sb_it
