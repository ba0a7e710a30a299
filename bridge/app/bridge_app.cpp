#include "app/bridge_app.hpp"

#include <asio/post.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <stdexcept>

#include "core/log.hpp"
#include "core/reading_json.hpp"
#include "http/rest_router.hpp"
#include "http/tls_server_context.hpp"
#include "http/ws_frame.hpp"
#include "ingest/asio_mqtt_source.hpp"
#include "ingest/paho_mqtt_source.hpp"

namespace sb {
namespace {

std::vector<topic_filter> parse_filters(const std::vector<std::string>& topics) {
    std::vector<topic_filter> filters;
    for (const auto& t : topics) {
        auto f = topic_filter::parse(t);
        if (!f) throw std::runtime_error("invalid MQTT topic filter '" + t + "'");
        filters.push_back(std::move(*f));
    }
    return filters;
}

normalize_options normalize_options_from(const options& o) {
    normalize_options n;
    n.max_payload = o.max_payload;
    return n;
}

std::filesystem::path web_root_from(const options& o) {
    if (!o.web_root.empty()) return o.web_root;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return default_web_root(ec ? std::filesystem::path{} : exe);
}

ws_endpoint_options endpoint_options_from(const options& o, const token_verifier* verifier) {
    ws_endpoint_options e;
    e.verifier = verifier;
    e.guard.message_rate = o.max_message_rate;
    e.guard.message_burst = o.max_message_burst;
    e.guard.auth_timeout = std::chrono::milliseconds(o.auth_timeout_ms);
    e.guard.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
    e.max_connections_per_ip = o.max_connections_per_ip;
    e.handshake_timeout_ms = o.handshake_timeout_ms;
    e.bind = o.bind;
    e.port = o.http_port;
    e.allowed_origins = o.allowed_origins;
    e.max_connections = o.max_connections;
    e.max_buffered_bytes = o.max_buffered_bytes;
    e.conflate_bytes = o.conflate_bytes;
    e.slow_grace_ms = o.slow_grace_ms;
    e.heartbeat_ms = o.heartbeat_ms;
    e.pong_timeout_ms = o.pong_timeout_ms;
    if (!o.tls_cert.empty()) e.tls = make_tls_server_context(o.tls_cert, o.tls_key);
    return e;
}

// The token file, or null without --token-file. Only counts are logged, never an entry.
std::unique_ptr<token_verifier> load_verifier(const options& o) {
    if (o.token_file.empty()) return nullptr;
    auto v = std::make_unique<token_verifier>(load_token_file(o.token_file));
    struct stat st {};
    if (::stat(o.token_file.c_str(), &st) == 0 && (st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
        SB_LOG(warn, "auth", "token file is readable by other users: chmod 600 it", "file=" + log_quote(o.token_file, 256));
    }
    SB_LOG(info, "auth", "tokens loaded",
           "file=" + log_quote(o.token_file, 256) + " tokens=" + std::to_string(v->static_tokens()) +
               " jwt_secrets=" + std::to_string(v->jwt_secrets()));
    return v;
}

bool is_loopback(const std::string& bind) {
    if (bind == "localhost") return true;
    asio::error_code ec;
    const auto a = asio::ip::make_address(bind, ec);
    return !ec && a.is_loopback();
}

std::string read_secret_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read --mqtt-password-file '" + path + "'");
    std::string secret((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!secret.empty() && (secret.back() == '\n' || secret.back() == '\r')) secret.pop_back();
    return secret;
}

std::string random_client_id() {
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    return std::string("sensor-bridge-") + buf;
}

store_options store_options_from(const options& o) {
    store_options s;
    s.path = o.db;
    s.max_pending = o.max_sensors;
    s.history_depth = o.history_depth;
    return s;
}

status_options status_options_from(const options& o) {
    status_options s;
    s.stale_factor = o.stale_factor;
    s.stale_min_ms = o.stale_min_ms;
    return s;
}

}  // namespace

bridge_app::bridge_app(const options& opts)
    : opts_(opts),
      latest_(opts.max_sensors, opts.history_depth, status_options_from(opts)),
      hub_(opts.max_subscriptions),
      store_(store_options_from(opts)),
      pipeline_(normalize_options_from(opts), parse_filters(opts.topics), latest_, hub_, store_),
      staleness_(io_, latest_.status(), hub_),
      static_files_(web_root_from(opts)),
      verifier_(load_verifier(opts)),
      endpoint_(io_, hub_, latest_, endpoint_options_from(opts, verifier_.get()),
                [this](const http_request& req) { return handle_http(req); }),
      signals_(io_, SIGINT, SIGTERM),
      reload_signal_(io_),
      shutdown_timer_(io_),
      ingest_queue_(opts.max_ingest_queue) {
    load_cache();
    endpoint_.listen();
    SB_LOG(info, "http", "listening",
           "url=" + std::string(endpoint_.tls() ? "https" : "http") + "://" + opts_.bind + ":" +
               std::to_string(endpoint_.port()) + "/ web_root=" +
               log_quote(static_files_.root().string(), 256));
    if (opts_.idle_timeout_ms != 0 && opts_.idle_timeout_ms <= opts_.heartbeat_ms) {
        SB_LOG(warn, "ws", "idle timeout not longer than the heartbeat: clients that only answer pings are closed",
               "idle_timeout_ms=" + std::to_string(opts_.idle_timeout_ms) +
                   " heartbeat_ms=" + std::to_string(opts_.heartbeat_ms));
    }
    if (!is_loopback(opts_.bind) && !verifier_) {
        SB_LOG(warn, "http",
               "LISTENING BEYOND LOOPBACK WITHOUT AUTHENTICATION: anyone who reaches this port reads every "
               "sensor; set --token-file",
               "bind=" + log_quote(opts_.bind));
    }
}

bridge_app::~bridge_app() {
    if (mqtt_) mqtt_->stop();
    store_.stop();
}

void bridge_app::load_cache() {
    auto readings = store_.load_latest();
    for (auto& r : readings) {
        if (!latest_.admits(r.sensor_id)) break;
        frame_ptr f = make_ws_frame(reading_frame_json(r));
        latest_.update(std::move(r), std::move(f));
    }
    load_history();
    if (!store_.previous_shutdown_clean()) {
        // Far more than one sensor can receive in the ~100 ms a commit may lag behind.
        constexpr std::uint64_t seq_jump = std::uint64_t{1} << 20;
        latest_.advance_seqs(seq_jump);
        SB_LOG(warn, "store", "previous run did not stop cleanly: every sensor's seq skips ahead",
               "by=" + std::to_string(seq_jump));
    }
    SB_LOG(info, "store", "cache loaded", "db=" + log_quote(opts_.db, 256) + " sensors=" + std::to_string(latest_.size()));
}

// Older readings back into each sensor's history ring, then the ring's receive times teach the
// status tracker each sensor's usual interval (and when it was last heard from).
void bridge_app::load_history() {
    store_.load_history([this](const reading& r) { latest_.restore_history(r); });
    for (const auto& [id, e] : latest_.all()) {
        for (const auto& p : e.history) latest_.status().restore(id, p.received_at);
    }
}

void bridge_app::start_ingest() {
    mqtt_source_options mo;
    mo.url = opts_.mqtt_url;
    mo.client_id = opts_.client_id.empty() ? random_client_id() : opts_.client_id;
    // A chosen id comes back after a restart: the broker keeps its session and queues what
    // arrives meanwhile. A random id never returns, so its session would only pile up.
    mo.clean_session = opts_.client_id.empty();
    mo.backoff_max = std::chrono::milliseconds(opts_.mqtt_backoff_max_ms);
    mo.backoff_min = std::min(mo.backoff_min, mo.backoff_max);
    mo.batch_interval = std::chrono::microseconds(opts_.mqtt_batch_us);
    mo.max_packet = opts_.max_payload + 4096;  // room for the topic; larger ones arrive truncated
    mo.topics = opts_.topics;
    mo.username = opts_.mqtt_username;
    if (!opts_.mqtt_password_file.empty()) mo.password = read_secret_file(opts_.mqtt_password_file);
    mo.tls = {opts_.mqtt_ca, opts_.mqtt_cert, opts_.mqtt_key};
    const bool tls = is_tls_broker_url(mo.url);
    if (opts_.mqtt_client == "paho" || (opts_.mqtt_client == "auto" && tls)) {
        mqtt_ = std::make_unique<paho_mqtt_source>(io_, std::move(mo));
    } else {
        mqtt_ = std::make_unique<asio_mqtt_source>(io_, std::move(mo));
    }
    if (!opts_.dead_letter_topic.empty()) {
        pipeline_.set_dead_letter_sink([this](std::string envelope) {
            return mqtt_->publish(opts_.dead_letter_topic, std::move(envelope));
        });
    }
    mqtt_inline_ = mqtt_->inline_delivery();
    mqtt_->start([this](mqtt_message&& m) { on_mqtt_message(std::move(m)); }, nullptr);
}

void bridge_app::on_mqtt_message(mqtt_message&& m) {
    // A source that runs on this thread lends its read buffer: process now, no hand-off.
    if (mqtt_inline_) {
        pipeline_.process(m);
        return;
    }
    // Bounded hand-off: past the bound the message is counted as refused, never queued.
    switch (ingest_queue_.push(std::move(m))) {
        case ingest_queue::push_result::full: ingest_overflow_.fetch_add(1, std::memory_order_relaxed); break;
        case ingest_queue::push_result::queued_wake: asio::post(io_, [this] { drain_ingest(); }); break;
        case ingest_queue::push_result::queued: break;
    }
}

void bridge_app::drain_ingest() {
    // Small batches, then back of the line: pending socket writes complete in between. A
    // websocketpp write cycle takes about four trips through the queue (post, strand, write
    // completion, strand), so a healthy reader holds about 4 x batch frames during a burst.
    constexpr std::size_t batch = 16;
    bool more = ingest_queue_.pop_batch(ingest_batch_, batch);
    for (const auto& m : ingest_batch_) pipeline_.process(m);
    ingest_batch_.clear();
    if (more) asio::post(io_, [this] { drain_ingest(); });
}

int bridge_app::run() {
    signals_.async_wait([this](const asio::error_code& ec, int signo) {
        if (ec) return;
        SB_LOG(info, "app", "signal received, stopping", "signal=" + std::to_string(signo));
        shutdown();
    });
    if (verifier_) {  // without a token file SIGHUP keeps its default meaning
        asio::error_code ec;
        reload_signal_.add(SIGHUP, ec);
    }
    watch_reload();
    store_.start();
    staleness_.start();
    start_ingest();
    io_.run();
    store_.stop();  // commits what is pending before returning
    SB_LOG(info, "app", "stopped", "");
    return 0;
}

void bridge_app::watch_reload() {
    if (!verifier_) return;
    reload_signal_.async_wait([this](const asio::error_code& wait_ec, int) {
        if (wait_ec) return;
        try {
            verifier_->replace(load_token_file(opts_.token_file));
            SB_LOG(info, "auth", "token file reloaded",
                   "tokens=" + std::to_string(verifier_->static_tokens()) +
                       " jwt_secrets=" + std::to_string(verifier_->jwt_secrets()));
            endpoint_.recheck_tokens();
        } catch (const std::exception& e) {
            SB_LOG(error, "auth", "token file not reloaded, the previous one stays", "reason=" + log_quote(e.what(), 256));
        }
        watch_reload();
    });
}

void bridge_app::request_stop() {
    asio::post(io_, [this] { shutdown(); });
}

// Ordered: stop accepting -> close clients (1001) -> stop MQTT -> (run() flushes the store).
void bridge_app::shutdown() {
    if (shutting_down_) return;
    shutting_down_ = true;
    endpoint_.stop();
    staleness_.stop();
    if (mqtt_) mqtt_->stop();
    asio::error_code ignored;
    signals_.cancel(ignored);
    reload_signal_.cancel(ignored);
    wait_for_clients(std::chrono::steady_clock::now() + std::chrono::milliseconds(1500));
}

void bridge_app::wait_for_clients(std::chrono::steady_clock::time_point deadline) {
    if (endpoint_.stats().connections == 0 || std::chrono::steady_clock::now() >= deadline) {
        io_.stop();
        return;
    }
    shutdown_timer_.expires_after(std::chrono::milliseconds(20));
    shutdown_timer_.async_wait([this, deadline](const asio::error_code& ec) {
        if (!ec) wait_for_clients(deadline);
    });
}

stats_snapshot bridge_app::stats() const {
    stats_snapshot s;
    s.ingest = pipeline_.stats();
    if (std::uint64_t overflow = ingest_overflow_.load()) {
        s.ingest.received += overflow;
        s.ingest.rejected += overflow;
        s.ingest.rejected_by_reason["queue_full"] += overflow;
    }
    s.ws = endpoint_.stats();
    s.store = store_.stats();
    s.store.unpersisted = pipeline_.unpersisted();
    s.mqtt.reconnects = mqtt_ ? mqtt_->reconnects() : 0;
    s.mqtt.paced_reads = mqtt_ ? mqtt_->paced_reads() : 0;
    s.delivery_seconds = pipeline_.delivery_latency();
    return s;
}

health_snapshot bridge_app::health() const {
    health_snapshot h;
    h.mqtt_connected = mqtt_ && mqtt_->connected();
    h.db_ok = store_.healthy();
    h.db_recovered = store_.recovering();
    h.auth_required = verifier_ != nullptr;
    return h;
}

http_reply bridge_app::handle_http(const http_request& req) {
    if (req.target.compare(0, 4, "/api") == 0 || req.target.compare(0, 8, "/metrics") == 0) {
        stats_snapshot st = stats();
        health_snapshot h = health();
        rest_context ctx{latest_, st, h};
        ctx.scope = req.scope.unrestricted() ? nullptr : &req.scope;
        if (auto reply = route_rest(req, ctx)) return std::move(*reply);
    }
    return static_files_.serve(req);
}

}  // namespace sb
