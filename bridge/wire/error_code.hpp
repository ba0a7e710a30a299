#pragma once
// Error codes sent to WebSocket clients in `error` messages (docs/PROTOCOL.md §3).
#include <string_view>

namespace sb {

enum class client_error {
    bad_json,
    unknown_type,
    bad_room,
    too_many_subscriptions,
    rate_limited,
    unauthorized,
};

constexpr std::string_view to_string(client_error e) noexcept {
    switch (e) {
        case client_error::bad_json: return "BAD_JSON";
        case client_error::unknown_type: return "UNKNOWN_TYPE";
        case client_error::bad_room: return "BAD_ROOM";
        case client_error::too_many_subscriptions: return "TOO_MANY_SUBSCRIPTIONS";
        case client_error::rate_limited: return "RATE_LIMITED";
        case client_error::unauthorized: return "UNAUTHORIZED";
    }
    return "UNKNOWN";
}

// WebSocket close codes the bridge uses.
namespace close_code {
inline constexpr int going_away = 1001;      // shutdown
inline constexpr int invalid_payload = 1007; // a text message that is not UTF-8 (RFC 6455 §8.1)
inline constexpr int policy = 1008;          // policy / auth
inline constexpr int too_large = 1009;       // message too big
inline constexpr int slow_consumer = 4008;   // outbound buffer over the bound
}  // namespace close_code

}  // namespace sb
