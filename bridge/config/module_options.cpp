#include "config/module_options.hpp"

#include <asio/ip/address.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <stdexcept>
#include <utility>

#include "config/option_checks.hpp"
#include "config/secret_file.hpp"
#include "core/log.hpp"
#include "http/static_files.hpp"
#include "http/tls_server_context.hpp"

namespace sb {
namespace {

std::string random_client_id() {
    std::random_device rd;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", static_cast<unsigned>(rd()));
    return std::string("sensor-bridge-") + buf;
}

}  // namespace

std::vector<topic_filter> topic_filters_from(const options& o) {
    std::vector<topic_filter> filters;
    for (const auto& t : o.topics) {
        auto f = topic_filter::parse(t);
        if (!f) throw std::runtime_error("invalid MQTT topic filter '" + t + "'");
        filters.push_back(std::move(*f));
    }
    return filters;
}

normalize_options normalize_options_from(const options& o) {
    normalize_options n;
    n.max_payload = o.max_payload;
    n.max_readings_per_message = o.max_readings_per_message;
    n.max_discovery_bytes = o.max_discovery_bytes;
    return n;
}

status_options status_options_from(const options& o) {
    status_options s;
    s.stale_factor = o.stale_factor;
    s.stale_min_ms = o.stale_min_ms;
    return s;
}

store_options store_options_from(const options& o) {
    store_options s;
    s.path = o.db;
    s.sync_full = o.sync == "full";
    s.max_pending = o.max_sensors;
    s.history_depth = o.history_depth;
    s.tiers.raw_retention_ms = parse_duration_ms(o.raw_retention).value_or(s.tiers.raw_retention_ms);
    s.tiers.minute_retention_ms = parse_duration_ms(o.minute_retention).value_or(s.tiers.minute_retention_ms);
    s.tiers.hour_retention_ms = parse_duration_ms(o.hour_retention).value_or(s.tiers.hour_retention_ms);
    s.tiers.budget_bytes = parse_size_bytes(o.history_budget).value_or(s.tiers.budget_bytes);
    return s;
}

std::filesystem::path web_root_from(const options& o) {
    if (!o.web_root.empty()) return o.web_root;
    std::error_code ec;
    auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    return default_web_root(ec ? std::filesystem::path{} : exe);
}

ws_listener_options listener_options_from(const options& o, const token_verifier* verifier, std::string instance) {
    ws_listener_options e;
    e.verifier = verifier;
    e.instance = std::move(instance);
    e.guard.message_rate = o.max_message_rate;
    e.guard.message_burst = o.max_message_burst;
    e.guard.auth_timeout = std::chrono::milliseconds(o.auth_timeout_ms);
    e.guard.idle_timeout = std::chrono::milliseconds(o.idle_timeout_ms);
    e.max_connections_per_ip = o.max_connections_per_ip;
    e.handshake_timeout_ms = o.handshake_timeout_ms;
    e.bind = o.bind;
    e.port = o.http_port;
    e.allowed_origins = o.allowed_origins;
    e.allowed_hosts = o.allowed_hosts;
    e.max_connections = o.max_connections;
    e.max_buffered_bytes = o.max_buffered_bytes;
    e.conflate_bytes = o.conflate_bytes;
    e.slow_grace_ms = o.slow_grace_ms;
    e.max_queued_bytes = o.max_queued_bytes;
    e.heartbeat_ms = o.heartbeat_ms;
    e.pong_timeout_ms = o.pong_timeout_ms;
    if (!o.tls_cert.empty()) e.tls = make_tls_server_context(o.tls_cert, o.tls_key);
    return e;
}

mqtt_source_options mqtt_options_from(const options& o) {
    mqtt_source_options mo;
    mo.urls = o.mqtt_urls;
    mo.client_id = o.client_id.empty() ? random_client_id() : o.client_id;
    // A chosen id comes back after a restart: the broker keeps its session and queues what
    // arrives meanwhile. A random id never returns, so its session would only pile up.
    mo.clean_session = o.client_id.empty();
    mo.backoff_max = std::chrono::milliseconds(o.mqtt_backoff_max_ms);
    mo.backoff_min = std::min(mo.backoff_min, mo.backoff_max);
    mo.batch_interval = std::chrono::microseconds(o.mqtt_batch_us);
    mo.max_packet = o.max_payload + 4096;  // room for the topic; larger ones arrive truncated
    mo.topics = o.topics;
    mo.username = o.mqtt_username;
    if (!o.mqtt_password_file.empty()) mo.password = read_secret_file(o.mqtt_password_file, "--mqtt-password-file");
    mo.tls = {o.mqtt_ca, o.mqtt_cert, o.mqtt_key};
    return mo;
}

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

}  // namespace sb
