#include "http/client_protocol.hpp"

#include <utility>
#include <vector>

#include "core/log.hpp"
#include "core/utf8_excerpt.hpp"
#include "http/snapshot_messages.hpp"
#include "hub/room.hpp"
#include "wire/error_code.hpp"
#include "wire/server_messages.hpp"

namespace sb {
namespace {
constexpr const char* room_syntax = "rooms are sensor:<id>, sensor:* or sensor:<prefix>*";
}  // namespace

client_protocol::client_protocol(hub& h, const sensor_registry& registry, const token_verifier* verifier,
                                 std::string instance, std::uint32_t heartbeat_ms, wall_ms_fn wall_ms)
    : hub_(h), registry_(registry), verifier_(verifier), instance_(std::move(instance)), heartbeat_ms_(heartbeat_ms),
      wall_ms_(wall_ms) {}

void client_protocol::on_open(protocol_peer& p, const std::optional<auth_result>& handshake, std::string token,
                              token_source source) {
    if (handshake) {
        if (const auto* why = std::get_if<auth_failure>(&*handshake)) {
            // Refused after the upgrade, not with a 401: a browser sees the close code, never the status.
            refuse(p, source, *why, std::string(client_text(*why)));
            return;
        }
        apply_grant(p, std::get<auth_grant>(*handshake), std::move(token), source);
    }
    p.send_text(connected_json(SENSOR_BRIDGE_VERSION, instance_, heartbeat_ms_, !p.guard().authenticated()));
}

void client_protocol::on_message(protocol_peer& p, bool text, std::string_view payload, clock::time_point now) {
    if (!admit(p, now)) return;
    if (!text) {
        p.send_text(error_json(client_error::bad_json, "binary frames are not accepted", {}));
        return;
    }
    // websocketpp checks that a text message ends on a character boundary only when it came in
    // one frame: a fragmented one cut inside its last character gets here (docs/FAULTS.md).
    if (!is_valid_utf8(payload)) {
        p.close(close_code::invalid_payload, "text message is not valid UTF-8");
        return;
    }
    auto parsed = parse_client_message(payload);
    if (const auto* err = std::get_if<client_message_error>(&parsed)) {
        p.send_text(error_json(err->code, err->message, err->id));
        return;
    }
    dispatch(p, std::get<client_message>(parsed));
}

// The per-connection message rate: over it the first refused message is answered
// RATE_LIMITED, the next ones are dropped, and a client that keeps on is closed (1008).
bool client_protocol::admit(protocol_peer& p, clock::time_point now) {
    switch (p.guard().on_message(now)) {
        case connection_guard::verdict::admit: return true;
        case connection_guard::verdict::refuse_notify:
            ++counters_.rate_limited;
            p.send_text(error_json(client_error::rate_limited, "too many messages: slow down", {}));
            return false;
        case connection_guard::verdict::refuse: ++counters_.rate_limited; return false;
        case connection_guard::verdict::close:
            ++counters_.rate_limited;
            SB_LOG(warn, "ws", "connection closed: message rate limit", "peer=" + log_quote(p.remote()));
            p.close(close_code::policy, "message rate limit exceeded");
            return false;
    }
    return false;
}

void client_protocol::dispatch(protocol_peer& p, const client_message& m) {
    if (!p.guard().authenticated() && m.type != client_message_type::auth && m.type != client_message_type::ping) {
        p.send_text(error_json(client_error::unauthorized,
                               "authenticate first: {\"type\":\"auth\",\"payload\":{\"token\":...}}", m.id));
        return;
    }
    switch (m.type) {
        case client_message_type::ping: p.send_text(pong_json(m.id)); break;
        case client_message_type::subscribe: on_subscribe(p, m); break;
        case client_message_type::unsubscribe: on_unsubscribe(p, m); break;
        case client_message_type::auth: on_auth(p, m); break;
    }
}

void client_protocol::on_subscribe(protocol_peer& p, const client_message& m) {
    auto r = room::parse(m.room);
    if (!r) {
        p.send_text(error_json(client_error::bad_room, room_syntax, m.id));
        return;
    }
    if (!p.guard().scope().covers(*r)) {
        p.send_text(error_json(client_error::unauthorized, "the token does not cover room " + r->name(), m.id));
        return;
    }
    if (hub_.subscribe(p.hub_id(), *r, m.max_rate_hz) == subscribe_status::too_many) {
        p.send_text(error_json(client_error::too_many_subscriptions, "subscription limit reached", m.id));
        return;
    }
    p.send_text(room_ack_json("subscribed", m.id, r->name()));
    // Snapshot (or the replay after `since`) before any live reading: both run on this
    // thread, so nothing interleaves.
    snapshot_messages(registry_, *r, m.since, [&p](const out_message_ptr& msg) { p.deliver(msg); });
}

void client_protocol::on_unsubscribe(protocol_peer& p, const client_message& m) {
    auto r = room::parse(m.room);
    if (!r) {
        p.send_text(error_json(client_error::bad_room, room_syntax, m.id));
        return;
    }
    hub_.unsubscribe(p.hub_id(), *r);
    p.send_text(room_ack_json("unsubscribed", m.id, r->name()));
}

void client_protocol::on_auth(protocol_peer& p, const client_message& m) {
    if (!verifier_) {  // nothing to check: every connection is already authenticated
        p.send_text(authenticated_json(m.id, nullptr, std::nullopt));
        return;
    }
    auth_result r = verifier_->verify(m.token, wall_ms_());
    if (const auto* why = std::get_if<auth_failure>(&r)) {
        refuse(p, token_source::message, *why, std::string(client_text(*why)));
        return;
    }
    auto& grant = std::get<auth_grant>(r);
    const std::vector<std::string> rooms = grant.scope.names();
    const bool restricted = !grant.scope.unrestricted();
    const auto expires = grant.valid_until_ms;
    apply_grant(p, std::move(grant), m.token, token_source::message);
    p.send_text(authenticated_json(m.id, restricted ? &rooms : nullptr, expires));
}

void client_protocol::recheck(protocol_peer& p) {
    if (!verifier_ || !p.guard().authenticated()) return;
    auth_result r = verifier_->verify(p.guard().token(), wall_ms_());
    if (const auto* why = std::get_if<auth_failure>(&r)) {
        refuse(p, token_source::none, *why, "token revoked");
        return;
    }
    apply_grant(p, std::get<auth_grant>(std::move(r)), p.guard().token(), token_source::none);
}

void client_protocol::refuse(protocol_peer& p, token_source source, auth_failure why, const std::string& close_reason) {
    log_auth_refused(p.remote(), p.resource(), source, why);
    ++counters_.auth_failures;
    p.close(close_code::policy, close_reason);
}

// A new grant for an open connection: rooms it no longer covers are left.
void client_protocol::apply_grant(protocol_peer& p, auth_grant grant, std::string token, token_source source) {
    SB_LOG(info, "auth", "connection authenticated",
           "peer=" + log_quote(p.remote()) + " source=" + std::string(to_string(source)) +
               " subject=" + log_quote(grant.subject));
    p.guard().authenticate(std::move(grant), std::move(token));
    for (const auto& r : hub_.rooms_of(p.hub_id())) {
        if (!p.guard().scope().covers(r)) hub_.unsubscribe(p.hub_id(), r);
    }
}

}  // namespace sb
