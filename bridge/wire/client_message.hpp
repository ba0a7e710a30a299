#pragma once
// Client -> server messages (docs/PROTOCOL.md §3), parsed without I/O. Also a fuzz target.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "wire/error_code.hpp"

namespace sb {

enum class client_message_type { subscribe, unsubscribe, ping, auth };

struct client_message {
    client_message_type type = client_message_type::ping;
    std::string id;     // optional correlation id, echoed in the reply ("" when absent)
    std::string room;   // subscribe / unsubscribe: the room name, not yet validated
    double max_rate_hz = 0;  // subscribe: payload.maxRateHz in (0, 1000]; 0 when absent (every reading)
    // subscribe: payload.since, the last seq the client has; the server replays what came
    // after it. Exact rooms (sensor:<id>) only: a prefix room's sensors share no seq.
    std::optional<std::uint64_t> since;
    std::string token;  // auth: payload.token (a secret: never logged or echoed)
};

struct client_message_error {
    client_error code = client_error::bad_json;
    std::string message;
    std::string id;     // the correlation id when it could be read
};

inline constexpr std::size_t max_client_message_bytes = 4096;
inline constexpr std::size_t max_correlation_id_bytes = 64;
inline constexpr double max_subscription_rate_hz = 1000;  // payload.maxRateHz
inline constexpr double min_subscription_rate_hz = 0.001;  // one reading per 1000 s

std::variant<client_message, client_message_error> parse_client_message(std::string_view text);

}  // namespace sb
