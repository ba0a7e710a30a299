// ws_endpoint, continued: the security side of a connection (README "Security"): the message
// rate, the auth message, token re-checks after a reload, and the deadlines of the guard sweep.
#include <algorithm>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "http/ws_endpoint.hpp"
#include "hub/protocol_frames.hpp"

namespace sb {
namespace {

// How often the guard deadlines are checked: a quarter of the shortest, 50 ms to 1 s.
std::chrono::milliseconds guard_tick(const guard_limits& g) {
    auto shortest = g.auth_timeout;
    if (g.idle_timeout.count() > 0) shortest = std::min(shortest, g.idle_timeout);
    return std::clamp(shortest / 4, std::chrono::milliseconds(50), std::chrono::milliseconds(1000));
}

const char* deadline_reason(connection_guard::deadline d) {
    switch (d) {
        case connection_guard::deadline::auth_timeout: return "authentication timeout";
        case connection_guard::deadline::token_expired: return "token expired";
        case connection_guard::deadline::idle: return "idle timeout";
        case connection_guard::deadline::none: break;
    }
    return "";
}
}  // namespace

// The per-connection message rate: over it the first refused message is answered
// RATE_LIMITED, the next ones are dropped, and a client that keeps on is closed (1008).
bool ws_endpoint::admit_message(ws_session& s) {
    switch (s.guard().on_message(std::chrono::steady_clock::now())) {
        case connection_guard::verdict::admit: return true;
        case connection_guard::verdict::refuse_notify:
            ++security_.rate_limited;
            s.send_text(error_json(client_error::rate_limited, "too many messages: slow down", {}));
            return false;
        case connection_guard::verdict::refuse: ++security_.rate_limited; return false;
        case connection_guard::verdict::close:
            ++security_.rate_limited;
            SB_LOG(warn, "ws", "connection closed: message rate limit",
                   "peer=" + log_quote(s.connection()->get_remote_endpoint()));
            s.close(close_code::policy, "message rate limit exceeded");
            return false;
    }
    return false;
}

void ws_endpoint::on_auth(ws_session& s, const client_message& m) {
    if (!opts_.verifier) {  // nothing to check: every connection is already authenticated
        s.send_text(authenticated_json(m.id, nullptr, std::nullopt));
        return;
    }
    auth_result r = opts_.verifier->verify(m.token, now_ms());
    if (auto* why = std::get_if<auth_failure>(&r)) {
        log_auth_refused(s.connection(), token_source::message, *why);
        ++security_.auth_failures;
        s.close(close_code::policy, std::string(client_text(*why)));
        return;
    }
    auto& grant = std::get<auth_grant>(r);
    const std::vector<std::string> rooms = grant.scope.names();
    const bool restricted = !grant.scope.unrestricted();
    const auto expires = grant.valid_until_ms;
    apply_grant(s, std::move(grant), m.token, token_source::message);
    s.send_text(authenticated_json(m.id, restricted ? &rooms : nullptr, expires));
}

// A new grant for an open connection: rooms it no longer covers are left.
void ws_endpoint::apply_grant(ws_session& s, auth_grant grant, std::string token, token_source source) {
    SB_LOG(info, "auth", "connection authenticated",
           "peer=" + log_quote(s.connection()->get_remote_endpoint()) + " source=" + std::string(to_string(source)) +
               " subject=" + log_quote(grant.subject));
    s.guard().authenticate(std::move(grant), std::move(token));
    for (const auto& r : hub_.rooms_of(s.hub_id())) {
        if (!s.guard().scope().covers(r)) hub_.unsubscribe(s.hub_id(), r);
    }
}

void ws_endpoint::recheck_tokens() {
    if (!opts_.verifier) return;
    const std::int64_t now = now_ms();
    for (auto& [h, s] : sessions_) {
        if (s->closing() || !s->guard().authenticated()) continue;
        auth_result r = opts_.verifier->verify(s->guard().token(), now);
        if (auto* why = std::get_if<auth_failure>(&r)) {
            log_auth_refused(s->connection(), token_source::none, *why);
            ++security_.auth_failures;
            s->close(close_code::policy, "token revoked");
            continue;
        }
        apply_grant(*s, std::get<auth_grant>(std::move(r)), s->guard().token(), token_source::none);
    }
}

void ws_endpoint::schedule_guard_sweep() {
    guard_timer_.expires_after(guard_tick(opts_.guard));
    guard_timer_.async_wait([this](const asio::error_code& ec) {
        if (ec || stopping_) return;
        on_guard_sweep();
        schedule_guard_sweep();
    });
}

void ws_endpoint::on_guard_sweep() {
    const auto now = std::chrono::steady_clock::now();
    const std::int64_t wall = now_ms();
    for (auto& [h, s] : sessions_) {
        if (s->closing()) continue;
        const auto due = s->guard().check(now, wall);
        if (due == connection_guard::deadline::none) continue;
        SB_LOG(info, "ws", "connection closed", "peer=" + log_quote(s->connection()->get_remote_endpoint()) +
                                                    " reason=" + log_quote(deadline_reason(due)));
        const int code = due == connection_guard::deadline::idle ? close_code::going_away : close_code::policy;
        s->close(code, deadline_reason(due));
    }
}

}  // namespace sb
