#include "ingest/paho_mqtt_source.hpp"

#include <asio/post.hpp>

#include <stdexcept>

#include "core/clock.hpp"
#include "core/log.hpp"

namespace sb {

// Paho calls these on its own thread: post to the network thread and return.
class paho_mqtt_source::connect_listener final : public mqtt::iaction_listener {
public:
    explicit connect_listener(paho_mqtt_source& owner) : owner_(owner) {}
    void on_success(const mqtt::token&) override {}  // the connected handler does the work
    void on_failure(const mqtt::token& tok) override {
        std::string why = "return code " + std::to_string(tok.get_return_code());
        asio::post(owner_.io_, [this, why] { owner_.on_connect_failed(why); });
    }

private:
    paho_mqtt_source& owner_;
};

// One listener for every SUBSCRIBE; the user context carries the connection session it was sent
// in, so a SUBACK that arrives after the connection was lost is ignored.
class paho_mqtt_source::subscribe_listener final : public mqtt::iaction_listener {
public:
    explicit subscribe_listener(paho_mqtt_source& owner) : owner_(owner) {}
    void on_success(const mqtt::token& tok) override { report(tok, true); }
    void on_failure(const mqtt::token& tok) override { report(tok, false); }

private:
    void report(const mqtt::token& tok, bool ok) {
        const auto session = reinterpret_cast<std::uintptr_t>(tok.get_user_context());
        std::string topic;
        if (const auto topics = tok.get_topics(); topics && !topics->empty()) topic = (*topics)[0];
        asio::post(owner_.io_, [this, session, ok, topic] { owner_.on_subscribed(session, ok, topic); });
    }

    paho_mqtt_source& owner_;
};

paho_mqtt_source::paho_mqtt_source(asio::io_context& io, mqtt_source_options opts)
    : io_(io),
      opts_(std::move(opts)),
      retry_timer_(io),
      listener_(std::make_unique<connect_listener>(*this)),
      sub_listener_(std::make_unique<subscribe_listener>(*this)),
      rotation_(opts_.urls),
      backoff_(opts_.backoff_min, opts_.backoff_max) {
    try {
        // The URL here only names the kind of connection: each attempt names its broker
        // (connect_options::set_servers), in broker_rotation's order.
        client_ = std::make_unique<mqtt::async_client>(rotation_.url(), opts_.client_id,
                                                       mqtt::create_options(MQTTVERSION_3_1_1));
    } catch (const std::exception& e) {
        throw std::runtime_error("invalid --mqtt-url '" + rotation_.shown() + "': " + e.what());
    }
    if (is_tls_broker_url(rotation_.url())) tls_probe_ = std::make_unique<tls_probe>(io_, opts_.tls);
}

paho_mqtt_source::~paho_mqtt_source() { stop(); }

void paho_mqtt_source::start(message_handler on_message, state_handler on_state) {
    on_message_ = std::move(on_message);
    on_state_ = std::move(on_state);
    client_->set_message_callback([this](mqtt::const_message_ptr msg) {
        if (stopped_.load(std::memory_order_relaxed)) return;
        mqtt_message m;
        m.topic = msg->get_topic();
        m.payload = msg->get_payload_str();
        m.received_at = now_ms();
        m.received_steady = std::chrono::steady_clock::now();
        m.retained = msg->is_retained();
        m.dup = msg->is_duplicate();
        m.qos = static_cast<std::uint8_t>(msg->get_qos());  // Paho C++ does not expose the packet id
        m.owner = std::move(msg);
        on_message_(std::move(m));
    });
    client_->set_connected_handler([this](const std::string&) { asio::post(io_, [this] { on_connected(); }); });
    client_->set_connection_lost_handler(
        [this](const std::string& cause) { asio::post(io_, [this, cause] { on_lost(cause); }); });
    asio::post(io_, [this] { connect(); });
}

void paho_mqtt_source::connect() {
    if (stopped_) return;
    mqtt::connect_options co;
    co.set_clean_session(opts_.clean_session);
    co.set_keep_alive_interval(opts_.keep_alive);
    co.set_connect_timeout(std::chrono::seconds(5));
    co.set_automatic_reconnect(false);  // our own backoff also covers the first connect
    co.set_servers(mqtt::string_collection::create(std::vector<std::string>{rotation_.url()}));
    if (!opts_.username.empty()) co.set_user_name(opts_.username);
    if (!opts_.password.empty()) co.set_password(opts_.password);
    if (tls_probe_) apply_tls(co);
    try {
        client_->connect(co, nullptr, *listener_);
    } catch (const mqtt::exception& e) {
        on_connect_failed(e.what());
    }
}

// No error handler: Paho C++ 1.2 calls it through a pointer to a copy of these options that is
// gone by then (fixed in 1.3); tls_probe explains failures instead.
void paho_mqtt_source::apply_tls(mqtt::connect_options& co) const {
    mqtt::ssl_options ssl;
    ssl.set_enable_server_cert_auth(true);  // the chain, against the CA file or the system store
    ssl.set_verify(true);                    // the host name (or IP) of the URL: off unless asked
    if (!opts_.tls.ca_file.empty()) ssl.set_trust_store(opts_.tls.ca_file);
    if (!opts_.tls.cert_file.empty()) {
        ssl.set_key_store(opts_.tls.cert_file);
        ssl.set_private_key(opts_.tls.key_file);
    }
    co.set_ssl(std::move(ssl));
}

void paho_mqtt_source::on_connected() {
    if (stopped_) return;
    if (ever_connected_) ++reconnects_;
    ever_connected_ = true;
    backoff_.reset();
    ++session_;
    session_open_ = true;
    pending_subacks_ = opts_.topics.size() + extra_.size();
    refused_subs_ = 0;
    // One SUBSCRIBE per filter: Paho's many-topic form has had SUBACK parsing bugs, and with one
    // filter per token a refusal names its topic. The source reports "connected" only once every
    // SUBACK is in, so nothing published after that can miss the subscription.
    for (const auto& topic : opts_.topics) subscribe(topic);
    for (const auto& topic : extra_) subscribe(topic);
}

void paho_mqtt_source::subscribe(const std::string& topic) {
    void* context = reinterpret_cast<void*>(static_cast<std::uintptr_t>(session_));
    try {
        client_->subscribe(topic, opts_.qos, context, *sub_listener_);
    } catch (const mqtt::exception& e) {
        SB_LOG(error, "mqtt", "subscribe failed", "topic=" + log_quote(topic) + " error=" + log_quote(e.what()));
        on_subscribed(session_, false, topic);
    }
}

void paho_mqtt_source::add_topic(const std::string& topic) {
    if (stopped_ || !extra_.insert(topic).second) return;
    if (!session_open_) return;  // the next CONNACK subscribes it
    if (!connected_) ++pending_subacks_;  // still subscribing: "connected" waits for it too
    subscribe(topic);
}

void paho_mqtt_source::remove_topic(const std::string& topic) {
    if (stopped_ || extra_.erase(topic) == 0) return;
    if (!session_open_) return;
    try {
        client_->unsubscribe(topic);
    } catch (const mqtt::exception& e) {
        SB_LOG(warn, "mqtt", "unsubscribe failed", "topic=" + log_quote(topic) + " error=" + log_quote(e.what()));
    }
}

void paho_mqtt_source::on_subscribed(std::uintptr_t session, bool ok, const std::string& topic) {
    if (stopped_ || session != session_) return;
    if (!ok) {
        ++refused_subs_;
        SB_LOG(error, "mqtt", "subscribe refused", "topic=" + log_quote(topic));
    }
    if (pending_subacks_ == 0 || --pending_subacks_ > 0) return;  // 0: a run-time add_topic's
    connected_ = true;
    SB_LOG(info, "mqtt", "connected",
           "url=" + log_quote(rotation_.shown()) + " session=" + (opts_.clean_session ? "clean" : "persistent") +
               " topics=" + std::to_string(opts_.topics.size() + extra_.size() - refused_subs_) +
               (refused_subs_ > 0 ? " refused=" + std::to_string(refused_subs_) : std::string()));
    if (on_state_) on_state_(true);
}

void paho_mqtt_source::on_connect_failed(const std::string& why) {
    if (stopped_) return;
    const std::string fields = "url=" + log_quote(rotation_.shown()) + " error=" + log_quote(why);
    const broker_address failed = split_tls_broker_url(rotation_.url());
    if (rotation_.next_after_failure()) {  // another broker of this round: at once
        asio::post(io_, [this] { connect(); });
    } else {
        schedule_reconnect();
    }
    // Paho's reason for a TLS failure is only a return code: the probe's line says which check failed.
    const bool probing = tls_probe_ && tls_probe_->start(failed, [this, fields](const std::string& reason) {
        if (stopped_) return;
        SB_LOG(warn, "mqtt", "connect failed",
               fields + " tls=" + log_quote(reason.empty() ? "ok: certificate trusted, host name matches" : reason, 512));
    });
    if (!probing) SB_LOG(warn, "mqtt", "connect failed", fields);
}

void paho_mqtt_source::on_lost(const std::string& cause) {
    if (stopped_) return;
    ++session_;  // SUBACKs still in flight belong to the lost connection
    pending_subacks_ = 0;
    session_open_ = false;
    connected_ = false;
    SB_LOG(warn, "mqtt", "connection lost",
           "url=" + log_quote(rotation_.shown()) + " cause=" + log_quote(cause.empty() ? "unknown" : cause));
    if (on_state_) on_state_(false);
    rotation_.restart();
    schedule_reconnect();
}

void paho_mqtt_source::schedule_reconnect() {
    auto delay = backoff_.next();
    retry_timer_.expires_after(delay);
    retry_timer_.async_wait([this](const asio::error_code& ec) {
        if (!ec) connect();
    });
}

bool paho_mqtt_source::publish(const std::string& topic, std::string payload) {
    if (!connected_ || stopped_) return false;
    try {
        client_->publish(mqtt::make_message(topic, std::move(payload), 0, false));
        return true;
    } catch (const mqtt::exception&) {
        return false;  // buffer full or connection just dropped: the caller counts it
    }
}

void paho_mqtt_source::stop() {
    if (stopped_.exchange(true)) return;
    asio::error_code ignored;
    retry_timer_.cancel();
    if (tls_probe_) tls_probe_->cancel();
    connected_ = false;
    try {
        if (client_->is_connected()) client_->disconnect(std::chrono::milliseconds(200))->wait_for(std::chrono::milliseconds(500));
    } catch (const mqtt::exception&) {
        // Already gone: nothing left to release.
    }
    try {
        client_->disable_callbacks();
    } catch (const mqtt::exception&) {
        // Paho refuses while a connect attempt is in flight (broker unreachable at stop). The
        // callbacks then only post to the stopped io_context or see stopped_, until the client
        // is destroyed; escaping here would turn a clean SIGTERM into exit code 1.
    }
}

}  // namespace sb
