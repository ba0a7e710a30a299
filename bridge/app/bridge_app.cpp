#include "app/bridge_app.hpp"

#include <asio/post.hpp>

#include <algorithm>
#include <stdexcept>

#include "config/memory_model.hpp"
#include "config/module_options.hpp"
#include "config/option_checks.hpp"
#include "core/log.hpp"
#include "http/prepared_message.hpp"
#include "ingest/asio_mqtt_source.hpp"
#include "ingest/paho_mqtt_source.hpp"
#include "wire/reading_json.hpp"

namespace sb {
namespace {

// Series queries waiting for the history reader at most; past it, 503 with Retry-After.
constexpr std::size_t history_queries_waiting = 16;

}  // namespace

bridge_app::bridge_app(const options& opts)
    : opts_(opts),
      latest_(opts.max_sensors, opts.history_depth, status_options_from(opts), opts.history_text_bytes),
      hub_(opts.max_subscriptions),
      store_(store_options_from(opts)),
      history_(store_options_from(opts).tiers.budget_bytes > 0
                   ? std::make_unique<history_reader>(opts.db, history_queries_waiting)
                   : nullptr),
      pipeline_(normalize_options_from(opts), topic_filters_from(opts), latest_, hub_, store_, make_prepared_message),
      staleness_(io_, latest_.status(), [this](const status_change& c) { pipeline_.publish_status(c); }),
      router_(latest_, static_files(web_root_from(opts)), [this] { return stats(); }, [this] { return health(); },
              [this](std::string_view id) { return pipeline_.forget(id); }),
      verifier_(load_verifier(opts)),
      listener_(io_, hub_, latest_, listener_options_from(opts, verifier_.get(), store_.instance()),
                [this](const http_request& req) { return router_.route(req); }),
      signals_(io_, SIGINT, SIGTERM),
      reload_signal_(io_),
      shutdown_timer_(io_),
      forget_timer_(io_),
      ingest_queue_(opts.max_ingest_queue, opts.max_ingest_bytes) {
    router_.set_history(history_.get());
    load_cache();
    listener_.listen();
    SB_LOG(info, "http", "listening",
           "url=" + std::string(listener_.tls() ? "https" : "http") + "://" + opts_.bind + ":" +
               std::to_string(listener_.port()) + "/ web_root=" +
               log_quote(router_.files().root().string(), 256));
    SB_LOG(info, "app", "memory bound", "worst_case=" + log_quote(human_bytes(worst_case_memory(opts_).total)) +
                                            " max_memory=" + opts_.max_memory);
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
    if (history_) history_->stop();
    store_.stop();
}

void bridge_app::load_cache() {
    auto readings = store_.load_latest();
    for (auto& r : readings) {
        if (!latest_.admits(r.sensor_id)) break;
        out_message_ptr f = make_prepared_message(reading_message_json(r));
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
    SB_LOG(info, "store", "cache loaded",
           "db=" + log_quote(opts_.db, 256) + " instance=" + store_.instance() +
               " sensors=" + std::to_string(latest_.size()));
}

// Older readings back into each sensor's history ring, then the ring's receive times teach the
// status tracker each sensor's usual interval (and when it was last heard from).
void bridge_app::load_history() {
    store_.load_history([this](const reading& r) { latest_.restore_history(r); });
    for (const auto& [id, e] : latest_.all()) {
        for (std::size_t i = 0; i < e.history.size(); ++i) latest_.status().restore(id, e.history[i].received_at);
    }
}

void bridge_app::start_ingest() {
    mqtt_source_options mo = mqtt_options_from(opts_);
    const bool tls = is_tls_broker_url(mo.urls.front());
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
    pipeline_.set_topic_subscriber([this](const std::string& topic, bool add) {
        if (add) {
            mqtt_->add_topic(topic);
        } else {
            mqtt_->remove_topic(topic);
        }
    });
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
    {  // SIGHUP reloads (systemctl reload): never its default meaning, which would end the process
        asio::error_code ec;
        reload_signal_.add(SIGHUP, ec);
    }
    watch_reload();
    store_.start();
    staleness_.start();
    schedule_forget(std::chrono::milliseconds(0));  // what went silent while the bridge was down, at once
    start_ingest();
    io_.run();
    if (history_) history_->stop();  // queries still waiting run; their answers go nowhere
    store_.stop();  // commits what is pending before returning
    SB_LOG(info, "app", "stopped", "");
    return 0;
}

// Every sensor silent for --forget-after is forgotten, checked every tenth of that (at most a
// minute): one pass over the sensors.
void bridge_app::schedule_forget(std::chrono::milliseconds after) {
    const std::int64_t forget_after = parse_duration_ms(opts_.forget_after).value_or(0);
    if (forget_after <= 0) return;
    forget_timer_.expires_after(after);
    forget_timer_.async_wait([this, forget_after](const asio::error_code& ec) {
        if (ec || shutting_down_) return;
        pipeline_.forget_silent(forget_after);
        schedule_forget(std::chrono::milliseconds(std::clamp<std::int64_t>(forget_after / 10, 100, 60000)));
    });
}

void bridge_app::watch_reload() {
    reload_signal_.async_wait([this](const asio::error_code& wait_ec, int) {
        if (wait_ec) return;
        if (!verifier_) {
            SB_LOG(info, "app", "SIGHUP: nothing to reload (no --token-file)", "");
            watch_reload();
            return;
        }
        try {
            verifier_->replace(load_token_file(opts_.token_file));
            SB_LOG(info, "auth", "token file reloaded",
                   "tokens=" + std::to_string(verifier_->static_tokens()) +
                       " jwt_secrets=" + std::to_string(verifier_->jwt_secrets()));
            listener_.recheck_tokens();
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
    listener_.stop();
    staleness_.stop();
    forget_timer_.cancel();
    if (mqtt_) mqtt_->stop();
    asio::error_code ignored;
    signals_.cancel(ignored);
    reload_signal_.cancel(ignored);
    wait_for_clients(std::chrono::steady_clock::now() + std::chrono::milliseconds(1500));
}

void bridge_app::wait_for_clients(std::chrono::steady_clock::time_point deadline) {
    if (listener_.stats().connections == 0 || std::chrono::steady_clock::now() >= deadline) {
        io_.stop();
        return;
    }
    shutdown_timer_.expires_after(std::chrono::milliseconds(20));
    shutdown_timer_.async_wait([this, deadline](const asio::error_code& ec) {
        if (!ec) wait_for_clients(deadline);
    });
}

// Network thread. Messages the bounded hand-off refused on Paho's thread are counted there
// (an atomic) and handed to the pipeline's counters here, so one counter owns each number.
stats_snapshot bridge_app::stats() {
    if (const std::uint64_t refused = ingest_overflow_.exchange(0)) pipeline_.count_rejected("queue_full", refused);
    stats_snapshot s;
    s.ingest = pipeline_.stats();
    s.ws = listener_.stats();
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
    if (mqtt_) h.mqtt_broker = mqtt_->broker();
    h.db_ok = store_.healthy();
    h.db_recovered = store_.recovering();
    h.auth_required = verifier_ != nullptr;
    h.instance = store_.instance();
    return h;
}

}  // namespace sb
