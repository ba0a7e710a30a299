#include "http/ws_endpoint.hpp"

#include <stdexcept>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "core/utf8_excerpt.hpp"
#include "http/query_string.hpp"
#include "http/snapshot_frames.hpp"
#include "hub/protocol_frames.hpp"
#include "hub/room.hpp"

namespace sb {

using websocketpp::lib::placeholders::_1;
using websocketpp::lib::placeholders::_2;

namespace {
// How often conflated sessions are looked at while they wait for their peer to drain.
constexpr std::chrono::milliseconds flush_tick{10};
}  // namespace

ws_endpoint::ws_endpoint(asio::io_context& io, hub& h, const latest_cache& latest, ws_endpoint_options opts,
                         request_handler on_http)
    : io_(io), hub_(h), latest_(latest), opts_(std::move(opts)), on_http_(std::move(on_http)),
      server_(make_ws_server(opts_.tls)), heartbeat_(io),
      flush_timer_(io), guard_timer_(io), per_address_(opts_.max_connections_per_ip) {
    hub_.set_wake([this](std::chrono::steady_clock::time_point due) { schedule_flush(due); });
    server_->clear_access_channels(websocketpp::log::alevel::all);
    server_->clear_error_channels(websocketpp::log::elevel::all);
    websocketpp::lib::error_code ec;
    server_->init_asio(&io_, ec);
    if (ec) throw std::runtime_error("cannot initialise the HTTP server: " + ec.message());
    server_->set_user_agent("sensor-bridge/" SENSOR_BRIDGE_VERSION);
    server_->set_reuse_addr(true);
    server_->set_listen_backlog(1024);
    server_->set_max_message_size(max_client_message_bytes);  // larger frames: close 1009
    server_->set_max_http_body_size(opts_.max_http_body);
    server_->set_open_handshake_timeout(static_cast<long>(opts_.handshake_timeout_ms));
    server_->set_close_handshake_timeout(1000);
    server_->set_pong_timeout(static_cast<long>(opts_.pong_timeout_ms));
    // Frames are coalesced per loop turn already; Nagle would hold the next turn's write until
    // the peer ACKs the previous one (tens of ms against a delayed ACK).
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
    server_->set_message_handler([this](hdl h, ws_server::message_ptr m) { on_message(h, std::move(m)); });
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

ws_endpoint::~ws_endpoint() { hub_.set_wake(nullptr); }

void ws_endpoint::listen() {
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

void ws_endpoint::stop() {
    if (stopping_) return;
    stopping_ = true;
    websocketpp::lib::error_code ec;
    server_->stop_listening(ec);
    heartbeat_.cancel();
    flush_timer_.cancel();
    guard_timer_.cancel();
    for (auto& [h, s] : sessions_) s->close(close_code::going_away, "server shutdown");
}

ws_stats ws_endpoint::stats() const {
    ws_stats st;
    st.connections = sessions_.size();
    st.subscriptions = hub_.subscription_count();
    st.sent = hub_.frames_sent();
    st.dropped = counters_.dropped;
    st.conflated = counters_.conflated;
    st.auth_failures = security_.auth_failures;
    st.rate_limited = security_.rate_limited;
    st.slow_closed = counters_.slow_closed;
    return st;
}

std::shared_ptr<ws_session> ws_endpoint::session_for(hdl h) const {
    auto it = sessions_.find(h);
    return it == sessions_.end() ? nullptr : it->second;
}

bool ws_endpoint::origin_allowed(const ws_connection_ptr& con) const {
    const std::string& origin = con->get_request_header("Origin");
    if (origin.empty()) return true;  // not a browser: nothing to hijack
    const std::string& host = con->get_request_header("Host");
    if (origin == "http://" + host || origin == "https://" + host) return true;
    for (const auto& allowed : opts_.allowed_origins) {
        if (origin == allowed) return true;
    }
    return false;
}

bool ws_endpoint::on_validate(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    if (ec) return false;
    if (stopping_) {
        con->set_status(websocketpp::http::status_code::service_unavailable);
        return false;
    }
    if (split_target(con->get_resource()).path != "/ws") {
        con->set_status(websocketpp::http::status_code::not_found);
        return false;
    }
    if (!origin_allowed(con)) {
        SB_LOG(warn, "ws", "origin refused", "origin=" + log_quote(con->get_request_header("Origin")));
        con->set_status(websocketpp::http::status_code::forbidden);
        return false;
    }
    if (sessions_.size() + pending_.size() >= opts_.max_connections) {
        con->set_status(websocketpp::http::status_code::service_unavailable);
        return false;
    }
    std::string address = peer_address(con);
    if (!per_address_.try_add(address)) {
        SB_LOG(warn, "ws", "connection refused: too many from one address",
               "address=" + log_quote(address) + " limit=" + std::to_string(opts_.max_connections_per_ip));
        con->set_status(websocketpp::http::status_code::too_many_requests);
        return false;
    }
    pending_[h] = pending_handshake{std::move(address), check_handshake(con, opts_.verifier, now_ms())};
    return true;
}

void ws_endpoint::on_open(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    auto p = pending_.find(h);
    if (ec || p == pending_.end()) return;
    pending_handshake hs = std::move(p->second);
    pending_.erase(p);
    outbox_limits limits{opts_.conflate_bytes, opts_.max_buffered_bytes, std::chrono::milliseconds(opts_.slow_grace_ms)};
    const bool auth_on = opts_.verifier != nullptr;
    auto session = std::make_shared<ws_session>(
        con, limits, counters_,
        [this, h] {
            flush_queue_.push_back(h);
            schedule_flush(std::chrono::steady_clock::now() + flush_tick);
        },
        [this](std::shared_ptr<ws_session> s) { queue_write(std::move(s)); }, hs.address,
        connection_guard(opts_.guard, auth_on, std::chrono::steady_clock::now()));
    session->set_hub_id(hub_.connect(session));
    sessions_.emplace(h, session);
    if (hs.token.result) {
        if (auto* why = std::get_if<auth_failure>(&*hs.token.result)) {
            // Refused after the upgrade, not with a 401: a browser sees the close code, never the status.
            log_auth_refused(con, hs.token.source, *why);
            ++security_.auth_failures;
            session->close(close_code::policy, std::string(client_text(*why)));
            return;
        }
        apply_grant(*session, std::get<auth_grant>(std::move(*hs.token.result)), std::move(hs.token.token),
                    hs.token.source);
    }
    session->send_text(connected_json(SENSOR_BRIDGE_VERSION, opts_.heartbeat_ms, !session->guard().authenticated()));
}

void ws_endpoint::on_close(hdl h) {
    release(h);
    auto it = sessions_.find(h);
    if (it == sessions_.end()) return;
    hub_.disconnect(it->second->hub_id());
    per_address_.remove(it->second->address());
    sessions_.erase(it);
}

// A handshake that failed after it was validated never opens: give back its address count.
void ws_endpoint::release(hdl h) {
    auto p = pending_.find(h);
    if (p == pending_.end()) return;
    per_address_.remove(p->second.address);
    pending_.erase(p);
}

void ws_endpoint::on_message(hdl h, ws_server::message_ptr msg) {
    auto session = session_for(h);
    if (!session || session->closing()) return;
    if (!admit_message(*session)) return;
    if (msg->get_opcode() != websocketpp::frame::opcode::text) {
        session->send_text(error_json(client_error::bad_json, "binary frames are not accepted", {}));
        return;
    }
    // websocketpp checks that a text message ends on a character boundary only when it came in
    // one frame: a fragmented one cut inside its last character gets here (docs/FAULTS.md).
    if (!is_valid_utf8(msg->get_payload())) {
        session->close(close_code::invalid_payload, "text message is not valid UTF-8");
        return;
    }
    auto parsed = parse_client_message(msg->get_payload());
    if (auto* err = std::get_if<client_message_error>(&parsed)) {
        session->send_text(error_json(err->code, err->message, err->id));
        return;
    }
    const auto& m = std::get<client_message>(parsed);
    if (!session->guard().authenticated() && m.type != client_message_type::auth &&
        m.type != client_message_type::ping) {
        session->send_text(error_json(client_error::unauthorized,
                                      "authenticate first: {\"type\":\"auth\",\"payload\":{\"token\":...}}", m.id));
        return;
    }
    switch (m.type) {
        case client_message_type::ping: session->send_text(pong_json(m.id)); break;
        case client_message_type::subscribe: on_subscribe(*session, m); break;
        case client_message_type::unsubscribe: on_unsubscribe(*session, m); break;
        case client_message_type::auth: on_auth(*session, m); break;
    }
}

void ws_endpoint::on_subscribe(ws_session& s, const client_message& m) {
    auto r = room::parse(m.room);
    if (!r) {
        s.send_text(error_json(client_error::bad_room, "rooms are sensor:<id>, sensor:* or sensor:<prefix>*", m.id));
        return;
    }
    if (!s.guard().scope().covers(*r)) {
        s.send_text(error_json(client_error::unauthorized, "the token does not cover room " + r->name(), m.id));
        return;
    }
    if (hub_.subscribe(s.hub_id(), *r, m.max_rate_hz) == subscribe_status::too_many) {
        s.send_text(error_json(client_error::too_many_subscriptions, "subscription limit reached", m.id));
        return;
    }
    s.send_text(room_ack_json("subscribed", m.id, r->name()));
    // Snapshot (or the replay after `since`) before any live reading: both run on this
    // thread, so nothing interleaves.
    snapshot_frames(latest_, *r, m.since, [&s](const frame_ptr& f) { s.deliver(f); });
}

void ws_endpoint::on_unsubscribe(ws_session& s, const client_message& m) {
    auto r = room::parse(m.room);
    if (!r) {
        s.send_text(error_json(client_error::bad_room, "rooms are sensor:<id>, sensor:* or sensor:<prefix>*", m.id));
        return;
    }
    hub_.unsubscribe(s.hub_id(), *r);
    s.send_text(room_ack_json("unsubscribed", m.id, r->name()));
}

void ws_endpoint::handle_http(hdl h) {
    websocketpp::lib::error_code ec;
    auto con = server_->get_con_from_hdl(h, ec);
    if (ec) return;
    http_request req{con->get_request().get_method(), con->get_resource()};
    std::optional<http_reply> refused;
    if (opts_.verifier) refused = authorize_http(con, *opts_.verifier, req, now_ms(), security_.auth_failures);
    http_reply rep = refused ? std::move(*refused) : on_http_(req);
    con->set_status(static_cast<websocketpp::http::status_code::value>(rep.status));
    con->replace_header("Content-Type", rep.content_type);
    for (const auto& [name, value] : rep.headers) con->replace_header(name, value);
    if (req.method == "HEAD") {
        con->set_body("");
    } else {
        con->set_body(std::move(rep.body));
    }
}

void ws_endpoint::schedule_heartbeat() {
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

// Every session that coalesced frames in this handler writes them once it returns: one post
// per turn, however many sessions and frames.
void ws_endpoint::queue_write(std::shared_ptr<ws_session> s) {
    write_queue_.push_back(std::move(s));
    if (write_posted_) return;
    write_posted_ = true;
    asio::post(io_, [this] {
        write_posted_ = false;
        std::vector<std::shared_ptr<ws_session>> batch;
        batch.swap(write_queue_);
        for (const auto& session : batch) session->write_batch();
    });
}

// One timer serves both delayed deliveries: it fires at the earliest one asked for.
void ws_endpoint::schedule_flush(std::chrono::steady_clock::time_point at) {
    if (stopping_) return;
    if (flush_armed_ && flush_timer_.expiry() <= at) return;
    flush_armed_ = true;
    flush_timer_.expires_at(at);  // a later wait is cancelled: its handler sees operation_aborted
    flush_timer_.async_wait([this](const asio::error_code& ec) {
        if (ec == asio::error::operation_aborted) return;
        flush_armed_ = false;
        if (!ec && !stopping_) on_flush_tick();
    });
}

void ws_endpoint::on_flush_tick() {
    std::vector<hdl> waiting;
    waiting.swap(flush_queue_);
    for (const hdl& h : waiting) {
        auto s = session_for(h);
        if (s && s->flush()) flush_queue_.push_back(h);
    }
    const auto now = std::chrono::steady_clock::now();
    if (!flush_queue_.empty()) schedule_flush(now + flush_tick);
    if (auto due = hub_.flush_due()) schedule_flush(*due);
}

}  // namespace sb
