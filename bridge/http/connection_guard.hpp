#pragma once
// The per-connection security state of one WebSocket, as logic without I/O (times passed
// in): whether it has authenticated and what its token grants, its message-rate bucket, and
// the deadlines that close it (authentication, idleness, token expiry).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "auth/auth_result.hpp"
#include "http/token_bucket.hpp"

namespace sb {

struct guard_limits {
    double message_rate = 50;     // client messages a second (<= 0: unlimited)
    double message_burst = 100;   // at once; refused messages in a row past this close the connection
    std::chrono::milliseconds auth_timeout{5000};  // to authenticate by message, when needed
    std::chrono::milliseconds idle_timeout{0};     // nothing heard (message, ping, pong); 0: never
};

class connection_guard {
public:
    using clock = std::chrono::steady_clock;

    enum class verdict {
        admit,          // process the message
        refuse_notify,  // drop it and answer RATE_LIMITED (first of a run)
        refuse,         // drop it silently (the client was told)
        close,          // the client keeps flooding: close 1008
    };
    enum class deadline { none, auth_timeout, idle, token_expired };

    // auth_required: the bridge has a token file and no valid token came with the handshake.
    connection_guard(const guard_limits& limits, bool auth_required, clock::time_point now);

    // Every client message: counts as activity, then against the rate.
    verdict on_message(clock::time_point now);
    // A protocol ping or pong from the peer: activity only (its rate is websocketpp's business).
    void heard(clock::time_point now) noexcept { last_heard_ = now; }

    bool authenticated() const noexcept { return grant_.has_value(); }
    // token is kept to check it again when the token file is reloaded (revoked: closed).
    void authenticate(auth_grant grant, std::string token) {
        grant_ = std::move(grant);
        token_ = std::move(token);
    }
    const std::string& token() const noexcept { return token_; }
    // Only meaningful once authenticated() (or when auth is off: everything).
    const room_scope& scope() const noexcept;
    const auth_grant* grant() const noexcept { return grant_ ? &*grant_ : nullptr; }

    // Which deadline has passed, if any: steady time for the timeouts, wall-clock ms for exp.
    deadline check(clock::time_point now, std::int64_t wall_ms) const noexcept;

private:
    guard_limits limits_;
    token_bucket bucket_;
    std::optional<auth_grant> grant_;  // set at once when auth is off or the handshake had a token
    std::string token_;                // the token that gave grant_ ("" when auth is off)
    clock::time_point opened_;
    clock::time_point last_heard_;
    std::uint64_t refused_in_row_ = 0;
};

}  // namespace sb
