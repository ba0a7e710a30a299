#include "http/ws_listener.hpp"

#include <asio/post.hpp>

#include <algorithm>
#include <stdexcept>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "http/query_string.hpp"
#include "wire/client_message.hpp"
#include "wire/error_code.hpp"

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

// Status and headers of an HTTP answer. websocketpp closes the connection after each one (it has
// no keep-alive): "Connection: close" tells HTTP/1.1 clients so, and they open a new one for the
// next request instead of writing it into a closing socket (docs/PROTOCOL.md, "HTTP").
void set_reply_headers(ws_connection& con, const http_reply& rep) {
    con.set_status(static_cast<websocketpp::http::status_code::value>(rep.status));
    con.replace_header("Content-Type", rep.content_type);
    con.replace_header("X-Content-Type-Options", "nosniff");
    con.replace_header("Connection", "close");
    for (const auto& [name, value] : rep.headers) con.replace_header(name, value);
}

}  // namespace

ws_listener::ws_listener(asio::io_context& io, hub& h, const sensor_registry& registry, ws_listener_options opts,
                         request_handler on_http)
    : io_(io), hub_(h), opts_(std::move(opts)), on_http_(std::move(on_http)), server_(make_ws_server(opts_.tls)),
      writes_(io, h), protocol_(h, registry, opts_.verifier, opts_.instance, opts_.heartbeat_ms, now_ms),
      heartbeat_(io), guard_timer_(io), per_address_(opts_.max_connections_per_ip), hosts_(opts_.bind, opts_.allowed_hosts),
      budget_(std::make_shared<send_budget>()) {
    budget_->limit = opts_.max_queued_bytes;
    for (const auto& o : opts_.allowed_origins) {
        if (auto parsed = parse_origin(o)) allowed_origins_.push_back(std::move(*parsed));
    }
    server_->clear_access_channels(websocketpp::log::alevel::all);
    server_->clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    server_->init_asio(&io_, ec);
    if (ec) throw std::runtime_error("cannot initialise the HTTP server: " + ec.message());
    server_->set_user_agent("sensor-bridge/" SENSOR_BRIDGE_VERSION);
    server_->set_reuse_addr(true);
    server_->set_listen_backlog(1024);
    server_->set_max_message_size(max_client_message_bytes);  // larger messages: close 1009
    server_->set_max_http_body_size(opts_.max_http_body);
    server_->set_open_handshake_timeout(static_cast<long>(opts_.handshake_timeout_ms));
    server_->set_close_handshake_timeout(1000);
    server_->set_pong_timeout(static_cast<long>(opts_.pong_timeout_ms));
    set_handlers();
}

ws_listener::~ws_listener() = default;

void ws_listener::set_handlers() {
    // Messages are coalesced per loop turn already; Nagle would hold the next turn's write
    // until the peer ACKs the previous one (tens of ms against a delayed ACK).
    server_->set_accepted_handler([](hdl, asio::ip::tcp::socket::lowest_layer_type& s) {
        asio::error_code ignored;
        s.set_option(asio::ip::tcp::no_delay(true), ignored);
    });
    server_->set_validate_handler([this](hdl h) { return on_validate(h); });
    server_->set_open_handler([this](hdl h) { on_open(h); });
    server_->set_close_handler([this](hdl h) { on_close(h); });
    server_->set_fail_handler([this](hdl h) { on_close(h); });
    // A ping or pong from the peer shows it is there (idle timeout); websocketpp answers pings.
    server_->set_ping_handler([this](hdl h, std::string) {
        if (auto s = session_for(h)) s->guard().heard(std::chrono::steady_clock::now());
        return true;
    });
    server_->set_pong_handler([this](hdl h, std::string) {
        if (auto s = session_for(h)) s->guard().heard(std::chrono::steady_clock::now());
    });
    server_->set_message_handler([this](hdl h, ws_server::message_ptr m) {
        auto s = session_for(h);
        if (!s || s->closing()) return;
        protocol_.on_message(*s, m->get_opcode() == websocketpp::frame::opcode::text, m->get_payload(),
                             std::chrono::steady_clock::now());
    });
    server_->set_http_handler([this](hdl h) { handle_http(h); });
    server_->set_pong_timeout_handler([this](hdl h, std::string) {
        // A peer that misses a pong will not answer a close frame either: queue one (best
        // effort), then drop the TCP connection at once instead of waiting out the close
        // handshake timeout.
        if (auto s = session_for(h)) {
            s->close(close_code::going_away, "pong timeout");
            s->connection()->terminate(websocketpp::lib::error_code());
        }
    });
}

void ws_listener::listen() {
    asio::error_code aec;
    auto address = asio::ip::make_address(opts_.bind, aec);
    if (aec) throw std::runtime_error("invalid --bind address '" + opts_.bind + "'");
    websocketpp::lib::error_code ec;
    server_->listen(asio::ip::tcp::endpoint(address, opts_.port), ec);
    if (ec) {
        throw std::runtime_error("cannot listen on " + opts_.bind + ":" + std::to_string(opts_.port) + ": " +
                                 ec.message());
    }
    port_ = server_->get_local_endpoint(aec).port();
    server_->start_accept(ec);
    if (ec) throw std::runtime_error("cannot accept connections: " + ec.message());
    schedule_heartbeat();
    schedule_guard_sweep();
}

void ws_listener::stop() {
    if (stopping_) return;
    stopping_ = true;
    websocketpp::lib::error_code ec;
    server_->stop_listening(ec);
    heartbeat_.cancel();
    guard_timer_.cancel();
    writes_.stop();
    for (auto& [h, s] : sessions_) s->close(close_code::going_away, "server shutdown");
}

ws_stats ws_listener::stats() const {
    ws_stats st;
    st.connections = sessions_.size();
    st.subscriptions = hub_.subscription_count();
    st.sent = hub_.frames_sent();
    st.dropped = counters_.dropped;
    st.conflated = counters_.conflated;
    st.auth_failures = http_auth_failures_ + protocol_.counters().auth_failures;
    st.rate_limited = protocol_.counters().rate_limited;
    st.slow_closed = counters_.slow_closed;
    st.queued_bytes = budget_->total;
    return st;
}

std::shared_ptr<ws_session> ws_listener::session_for(hdl h) const {
    auto it = sessions_.find(h);
    return it == sessions_.end() ? nullptr : it->second;
}

std::optional<host_port> ws_listener::own_host(const ws_connection_ptr& con) {
    const std::string& value = con->get_request_header("Host");
    if (value.empty()) return host_port{};  // HTTP/1.0 without Host: no browser sends that
    auto h = parse_host_header(value);
    if (h && hosts_.allows(*h)) return h;
    SB_LOG(warn, "http", "host refused", "host=" + log_quote(value) + " peer=" + log_quote(peer_address(con)) +
                                             " hint=\"add it with --allowed-host if it is this bridge's name\"");
    return std::nullopt;
}

bool ws_listener::origin_allowed(const ws_connection_ptr& con, const host_port& host) const {
    const std::string& origin = con->get_request_header("Origin");
    if (origin.empty()) return true;  // not a browser: nothing to hijack
    return sb::origin_allowed(origin, host, server_->tls(), allowed_origins_);
}

bool ws_listener::on_validate(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    if (ec) return false;
    // A refused upgrade is an HTTP answer, after which the connection closes: say so.
    auto refuse = [&con](int status) {
        con->set_status(static_cast<websocketpp::http::status_code::value>(status));
        con->replace_header("Connection", "close");
        return false;
    };
    if (stopping_) return refuse(503);
    if (split_target(con->get_resource()).path != "/ws") return refuse(404);
    const auto host = own_host(con);
    if (!host) return refuse(421);
    if (!origin_allowed(con, *host)) {
        SB_LOG(warn, "ws", "origin refused", "origin=" + log_quote(con->get_request_header("Origin")));
        return refuse(403);
    }
    if (sessions_.size() + pending_.size() >= opts_.max_connections) return refuse(503);
    std::string address = peer_address(con);
    if (!per_address_.try_add(address)) {
        SB_LOG(warn, "ws", "connection refused: too many from one address",
               "address=" + log_quote(address) + " limit=" + std::to_string(opts_.max_connections_per_ip));
        return refuse(429);
    }
    pending_[h] = pending_handshake{std::move(address), check_handshake(con, opts_.verifier, now_ms())};
    return true;
}

void ws_listener::on_open(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    auto p = pending_.find(h);
    if (ec || p == pending_.end()) return;
    pending_handshake hs = std::move(p->second);
    pending_.erase(p);
    outbox_limits limits{opts_.conflate_bytes, opts_.max_buffered_bytes, std::chrono::milliseconds(opts_.slow_grace_ms)};
    auto session = std::make_shared<ws_session>(con, limits, counters_, &writes_, hs.address,
                                                connection_guard(opts_.guard, protocol_.auth_enabled(),
                                                                 std::chrono::steady_clock::now()),
                                                budget_);
    session->set_hub_id(hub_.connect(session));
    sessions_.emplace(h, session);
    protocol_.on_open(*session, hs.token.result, std::move(hs.token.token), hs.token.source);
}

void ws_listener::on_close(hdl h) {
    release(h);
    auto it = sessions_.find(h);
    if (it == sessions_.end()) return;
    hub_.disconnect(it->second->hub_id());
    per_address_.remove(it->second->address());
    sessions_.erase(it);
}

// A handshake that failed after it was validated never opens: give back its address count.
void ws_listener::release(hdl h) {
    auto p = pending_.find(h);
    if (p == pending_.end()) return;
    per_address_.remove(p->second.address);
    pending_.erase(p);
}

void ws_listener::handle_http(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    if (ec) return;
    http_request req{con->get_request().get_method(), con->get_resource()};
    req.accept = con->get_request_header("Accept");
    std::optional<http_reply> refused;
    const auto host = own_host(con);
    if (!host) {
        refused = json_error(421, "MISDIRECTED_REQUEST",
                             "this bridge does not answer to that Host name (see --allowed-host)");
    } else if (req.method != "GET" && req.method != "HEAD" && !origin_allowed(con, *host)) {
        // A page from another site: CORS keeps its answers from it, but not the request's effect.
        SB_LOG(warn, "http", "origin refused", "origin=" + log_quote(con->get_request_header("Origin")) +
                                                   " method=" + log_quote(req.method));
        refused = json_error(403, "FORBIDDEN_ORIGIN", "requests that change state are not taken from this Origin");
    } else if (opts_.verifier) {
        refused = authorize_http(con, *opts_.verifier, req, now_ms(), http_auth_failures_);
    } else {
        req.admin = direct_loopback_peer(con);
    }
    http_reply rep = refused ? std::move(*refused) : on_http_(req);
    if (rep.deferred && !con->defer_http_response()) {
        const bool head = req.method == "HEAD";
        rep.deferred([&io = io_, con, head](http_reply later) {
            asio::post(io, [con, head, later = std::move(later)]() mutable {
                set_reply_headers(*con, later);
                con->set_body(head ? std::string() : std::move(later.body));
                con->send_http_response();
            });
        });
        return;
    }
    if (rep.deferred) rep = json_error(500, "INTERNAL", "the answer could not be deferred");
    set_reply_headers(*con, rep);
    con->set_body(req.method == "HEAD" ? std::string() : std::move(rep.body));
}

void ws_listener::recheck_tokens() {
    for (auto& [h, s] : sessions_) {
        if (!s->closing()) protocol_.recheck(*s);
    }
}

void ws_listener::schedule_heartbeat() {
    heartbeat_.expires_after(std::chrono::milliseconds(opts_.heartbeat_ms));
    heartbeat_.async_wait([this](const asio::error_code& ec) {
        if (ec || stopping_) return;
        for (auto& [h, s] : sessions_) {
            if (s->closing()) continue;
            websocketpp::lib::error_code ignored;
            s->connection()->ping("", ignored);
        }
        schedule_heartbeat();
    });
}

void ws_listener::schedule_guard_sweep() {
    guard_timer_.expires_after(guard_tick(opts_.guard));
    guard_timer_.async_wait([this](const asio::error_code& ec) {
        if (ec || stopping_) return;
        on_guard_sweep();
        schedule_guard_sweep();
    });
}

void ws_listener::on_guard_sweep() {
    const auto now = std::chrono::steady_clock::now();
    const std::int64_t wall = now_ms();
    for (auto& [h, s] : sessions_) {
        if (s->closing()) continue;
        const auto due = s->guard().check(now, wall);
        if (due == connection_guard::deadline::none) continue;
        SB_LOG(info, "ws", "connection closed",
               "peer=" + log_quote(s->remote()) + " reason=" + log_quote(deadline_reason(due)));
        const int code = due == connection_guard::deadline::idle ? close_code::going_away : close_code::policy;
        s->close(code, deadline_reason(due));
    }
}

}  // namespace sb
