#pragma once
// The envelope a rejected message is republished in on --dead-letter-topic. Pure.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sb {

struct dead_letter {
    std::string_view reason;   // a reject reason name (invalid_json, too_large, ...)
    std::string_view detail;
    std::string_view topic;
    std::string_view payload;
    std::int64_t received_at = 0;
};

// {"reason","detail","topic","receivedAt","size","payload","truncated"}: payload is the
// original as UTF-8 text cut to max_payload_bytes (invalid bytes become U+FFFD), so the
// envelope stays bounded whatever came in.
std::string dead_letter_json(const dead_letter& d, std::size_t max_payload_bytes = 4096);

}  // namespace sb
