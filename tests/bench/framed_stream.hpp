#pragma once
// Cuts a byte stream into length-prefixed units (MQTT packets, WebSocket frames) however the
// reads split them: complete units are handed out straight from the caller's buffer; only an
// incomplete tail is copied, and only as many bytes as that unit still needs. The tail buffer
// keeps its capacity, so a steady stream allocates nothing after the first split.
#include <algorithm>
#include <cstddef>
#include <vector>

namespace sb::bench {

enum class header_status { ok, need_more, malformed };

struct unit_size {
    std::size_t header = 0;
    std::size_t body = 0;
    std::size_t total() const noexcept { return header + body; }
};

// Parser: static header_status parse(const char* data, std::size_t n, unit_size& out).
template <class Parser>
class framed_stream {
public:
    explicit framed_stream(std::size_t max_unit) : max_unit_(max_unit) {}

    // Calls on_unit(const char* unit, unit_size) for each complete unit. False when the
    // stream is malformed or a unit is larger than max_unit (the stream is then unusable).
    template <class F>
    bool feed(const char* data, std::size_t n, F&& on_unit) {
        while (!pending_.empty()) {
            unit_size size;
            const header_status st = Parser::parse(pending_.data(), pending_.size(), size);
            if (st == header_status::malformed || (st == header_status::ok && size.total() > max_unit_)) return false;
            std::size_t need = 1;  // header still incomplete: grow it a byte at a time
            if (st == header_status::ok) {
                if (pending_.size() >= size.total()) {
                    on_unit(static_cast<const char*>(pending_.data()), size);
                    release();
                    break;
                }
                need = size.total() - pending_.size();
            }
            if (n == 0) return true;
            const std::size_t take = std::min(need, n);
            pending_.insert(pending_.end(), data, data + take);
            data += take;
            n -= take;
        }
        while (n > 0) {
            unit_size size;
            const header_status st = Parser::parse(data, n, size);
            if (st == header_status::malformed || (st == header_status::ok && size.total() > max_unit_)) return false;
            if (st == header_status::need_more || size.total() > n) {
                pending_.assign(data, data + n);
                return true;
            }
            on_unit(data, size);
            data += size.total();
            n -= size.total();
        }
        return true;
    }

    bool has_pending() const noexcept { return !pending_.empty(); }

private:
    // A large unit's buffer is given back; a small one is kept for the next split.
    void release() {
        pending_.clear();
        if (pending_.capacity() > 4096) pending_.shrink_to_fit();
    }

    std::vector<char> pending_;
    std::size_t max_unit_;
};

}  // namespace sb::bench
