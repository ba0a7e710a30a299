#pragma once
// What the messages of one WebSocket client do (docs/PROTOCOL.md §3): the message rate, the
// auth message and handshake token, subscribe (with its snapshot or replay), unsubscribe and
// ping, and the token re-check after a reload. It routes to the hub and reads the sensor
// registry; replies go out through the protocol_peer. No I/O of its own.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "auth/auth_result.hpp"
#include "auth/token_verifier.hpp"
#include "http/protocol_peer.hpp"
#include "http/request_token.hpp"
#include "hub/hub.hpp"
#include "state/sensor_registry.hpp"
#include "wire/client_message.hpp"

namespace sb {

struct protocol_counters {
    std::uint64_t auth_failures = 0;  // tokens refused (handshake, auth message, reload)
    std::uint64_t rate_limited = 0;   // client messages dropped over the message rate
};

class client_protocol {
public:
    using clock = std::chrono::steady_clock;
    using wall_ms_fn = std::int64_t (*)();

    // verifier: null without --token-file (every connection is authenticated from the start).
    // instance: the database's instance id, told in `connected` (the seqs' frame of reference).
    // wall_ms: wall-clock ms since the epoch (token expiry); injected for tests.
    client_protocol(hub& h, const sensor_registry& registry, const token_verifier* verifier, std::string instance,
                    std::uint32_t heartbeat_ms, wall_ms_fn wall_ms);

    // A new connection: the handshake's token (refused: closed 1008; accepted: its grant
    // applies), then the `connected` message.
    void on_open(protocol_peer& p, const std::optional<auth_result>& handshake, std::string token,
                 token_source source);
    // One message from the peer, text or binary, as websocketpp received it.
    void on_message(protocol_peer& p, bool text, std::string_view payload, clock::time_point now);
    // After the token file was reloaded: a token no longer accepted closes the connection
    // (1008), another one's room grants are refreshed.
    void recheck(protocol_peer& p);

    const protocol_counters& counters() const noexcept { return counters_; }
    bool auth_enabled() const noexcept { return verifier_ != nullptr; }

private:
    bool admit(protocol_peer& p, clock::time_point now);
    void dispatch(protocol_peer& p, const client_message& m);
    void on_subscribe(protocol_peer& p, const client_message& m);
    void on_unsubscribe(protocol_peer& p, const client_message& m);
    void on_auth(protocol_peer& p, const client_message& m);
    void refuse(protocol_peer& p, token_source source, auth_failure why, const std::string& close_reason);
    void apply_grant(protocol_peer& p, auth_grant grant, std::string token, token_source source);

    hub& hub_;
    const sensor_registry& registry_;
    const token_verifier* verifier_;
    std::string instance_;
    std::uint32_t heartbeat_ms_;
    wall_ms_fn wall_ms_;
    protocol_counters counters_;
};

}  // namespace sb
