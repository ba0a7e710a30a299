#include "http/rest_router.hpp"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/json_writer.hpp"
#include "core/log.hpp"
#include "core/sensor_id.hpp"
#include "core/utf8_excerpt.hpp"
#include "http/counter_table.hpp"
#include "http/metrics_text.hpp"
#include "http/query_string.hpp"
#include "http/series_query.hpp"
#include "http/series_reply.hpp"
#include "persist/history_reader.hpp"
#include "http/url_decode.hpp"
#include "state/history_window.hpp"

namespace sb {
namespace {

// History is bounded (every bound is an option: docs/CONFIGURATION.md): at most --history-depth points per sensor exist, and one
// reply holds at most max_history_limit of them.
constexpr std::size_t default_history_limit = 100;
constexpr std::size_t max_history_limit = 1000;
constexpr std::size_t max_segments = 3;  // sensors/{id}/history
constexpr std::size_t max_echoed_id_bytes = 128;

bool is_api_path(std::string_view path) noexcept {
    return path == "/api" || path.compare(0, 5, "/api/") == 0;
}

http_reply json_reply(int status, const rapidjson::StringBuffer& buf) {
    http_reply reply;
    reply.status = status;
    reply.content_type = "application/json";
    reply.body.assign(buf.GetString(), buf.GetSize());
    return reply;
}

http_reply not_found(std::string_view what) {
    return json_error(404, "NOT_FOUND", std::string("no ") + std::string(what));
}

// "sensors/a/history" -> {"sensors","a","history"}; empty when there are too many segments.
std::vector<std::string_view> split_segments(std::string_view rest) {
    std::vector<std::string_view> segments;
    while (segments.size() <= max_segments) {
        const std::size_t slash = rest.find('/');
        segments.push_back(rest.substr(0, slash));
        if (slash == std::string_view::npos) return segments;
        rest.remove_prefix(slash + 1);
    }
    return {};
}

// The cached entry for a still-encoded id segment, or the 404 reply to send instead.
const sensor_registry::entry* find_sensor(std::string_view raw_id, const rest_context& ctx,
                                       http_reply& error) {
    const auto id = percent_decode(raw_id);
    const std::string_view shown = id ? std::string_view(*id) : raw_id;
    // Checked before the lookup, so the answer says nothing about whether the sensor exists.
    if (id && ctx.scope && !ctx.scope->covers_sensor(*id)) {
        error = json_error(403, "FORBIDDEN", "the token does not cover sensor '" +
                                                 utf8_excerpt(shown, max_echoed_id_bytes) + "'");
        return nullptr;
    }
    const sensor_registry::entry* e =
        id && is_valid_sensor_id(*id) ? ctx.latest.find(*id) : nullptr;
    if (!e) error = not_found("sensor '" + utf8_excerpt(shown, max_echoed_id_bytes) + "'");
    return e;
}

// The latest reading with the sensor's status ("online", "stale", "offline") added.
void write_sensor(json_writer& w, const sensor_registry& latest, const sensor_registry::entry& e) {
    w.StartObject();
    write_reading_members(w, e.latest);
    if (const auto* s = latest.status().find(e.latest.sensor_id)) {
        write_key(w, "status");
        write_string(w, to_string(s->status));
    }
    w.EndObject();
}

http_reply list_sensors(std::string_view query, const rest_context& ctx) {
    const query_value prefix = find_query_param(query, "prefix");
    if (prefix.status == query_status::malformed) {
        return json_error(400, "BAD_REQUEST", "malformed percent-encoding in 'prefix'");
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartArray();
    ctx.latest.for_each_prefix(prefix.value, [&](const sensor_registry::entry& e) {
        if (!ctx.scope || ctx.scope->covers_sensor(e.latest.sensor_id)) write_sensor(w, ctx.latest, e);
    });
    w.EndArray();
    return json_reply(200, buf);
}

http_reply one_sensor(std::string_view raw_id, const rest_context& ctx) {
    http_reply error;
    const sensor_registry::entry* e = find_sensor(raw_id, ctx, error);
    if (!e) return error;
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    write_sensor(w, ctx.latest, *e);
    return json_reply(200, buf);
}

// "limit" is a decimal integer >= 1, clamped to max_history_limit; nullopt when invalid.
std::optional<std::size_t> parse_history_limit(std::string_view text) {
    if (text.empty()) return std::nullopt;
    std::size_t n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        // Saturate just above the bound so huge inputs clamp instead of overflowing.
        n = std::min(n * 10 + static_cast<std::size_t>(c - '0'), max_history_limit + 1);
    }
    if (n == 0) return std::nullopt;
    return std::min(n, max_history_limit);
}

// "since" is a decimal seq that fits 64 bits; nullopt when invalid.
std::optional<std::uint64_t> parse_seq(std::string_view text) {
    if (text.empty() || text.size() > 20) return std::nullopt;
    std::uint64_t n = 0;
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        const auto digit = static_cast<std::uint64_t>(c - '0');
        if (n > (UINT64_MAX - digit) / 10) return std::nullopt;
        n = n * 10 + digit;
    }
    return n;
}

// The history query: limit (default 100) and, when given, since.
struct history_query {
    std::size_t limit = default_history_limit;
    std::optional<std::uint64_t> since;
};

std::optional<http_reply> parse_history_query(std::string_view query, history_query& q) {
    const query_value limit = find_query_param(query, "limit");
    if (limit.status != query_status::absent) {
        const auto parsed = parse_history_limit(limit.value);
        if (limit.status == query_status::malformed || !parsed) {
            return json_error(400, "BAD_REQUEST", "'limit' must be an integer >= 1");
        }
        q.limit = *parsed;
    }
    const query_value since = find_query_param(query, "since");
    if (since.status != query_status::absent) {
        q.since = parse_seq(since.value);
        if (since.status == query_status::malformed || !q.since) {
            return json_error(400, "BAD_REQUEST", "'since' must be an integer seq >= 0");
        }
    }
    return std::nullopt;
}

// Oldest first. Without since: the newest `limit` points. With since: the first `limit`
// points after that seq (page on with the last seq returned); a first seq above since + 1
// shows that older ones are no longer kept.
http_reply sensor_history(std::string_view raw_id, std::string_view query, const rest_context& ctx) {
    history_query q;
    if (auto bad = parse_history_query(query, q)) return std::move(*bad);
    http_reply error;
    const sensor_registry::entry* e = find_sensor(raw_id, ctx, error);
    if (!e) return error;
    const auto& history = e->history;
    std::size_t first = history.size() - std::min(q.limit, history.size());
    std::size_t last = history.size();
    if (q.since) {
        first = window_after(*e, *q.since).first;
        last = first + std::min(q.limit, history.size() - first);
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartArray();
    for (std::size_t i = first; i < last; ++i) write_reading(w, sensor_registry::to_reading(*e, history[i]));
    w.EndArray();
    return json_reply(200, buf);
}

http_reply health(const rest_context& ctx) {
    const bool ok = ctx.health.mqtt_connected && ctx.health.db_ok && !ctx.health.db_recovered;
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_key(w, "status");
    write_string(w, ok ? "ok" : "degraded");
    write_key(w, "mqtt");
    write_string(w, ctx.health.mqtt_connected ? "connected" : "disconnected");
    write_key(w, "broker");
    write_string(w, ctx.health.mqtt_broker);
    write_key(w, "db");
    write_string(w, !ctx.health.db_ok ? "error" : ctx.health.db_recovered ? "recovered" : "ok");
    write_key(w, "version");
    write_string(w, ctx.version ? ctx.version : "");
    write_key(w, "instance");
    write_string(w, ctx.health.instance);
    write_key(w, "authRequired");
    w.Bool(ctx.health.auth_required);
    w.EndObject();
    return json_reply(ok ? 200 : 503, buf);
}

void write_counter(json_writer& w, std::string_view key, std::uint64_t value) {
    write_key(w, key);
    w.Uint64(value);
}

// Every row of the counter table, by group (counter_table.hpp).
http_reply stats(const rest_context& ctx) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    for (const stats_group group : rest_stats_groups) {
        write_key(w, group_key(group));
        w.StartObject();
        for (const counter_row& row : counter_table()) {
            if (row.group != group || row.json_key.empty()) continue;
            if (row.by_reason) {
                write_key(w, row.json_key);
                w.StartObject();
                for (const auto& [reason, count] : row.by_reason(ctx.stats)) write_counter(w, reason, count);
                w.EndObject();
            } else {
                write_counter(w, row.json_key, row.value(ctx.stats));
            }
        }
        w.EndObject();
    }
    w.EndObject();
    return json_reply(200, buf);
}

// path is "/api" or "/api/..."; one trailing slash is ignored ("/api/sensors/").
std::vector<std::string_view> api_segments(std::string_view path) {
    std::string_view rest = path.substr(4);
    if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
    if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
    return split_segments(rest);
}

// DELETE /api/sensors/{id}: 204, or 403 without the right, 404 for a sensor the bridge does
// not know (the answer says nothing about existence to a request without the right).
http_reply delete_sensor(std::string_view raw_id, const http_request& req, const rest_context& ctx) {
    if (!req.admin) {
        return json_error(403, "FORBIDDEN",
                          ctx.health.auth_required ? "removing a sensor needs a token with scope=admin"
                                                   : "removing a sensor is allowed from this machine only (or with "
                                                     "--token-file and an admin token)");
    }
    const auto id = percent_decode(raw_id);
    const std::string_view shown = id ? std::string_view(*id) : raw_id;
    if (id && ctx.scope && !ctx.scope->covers_sensor(*id)) {
        return json_error(403, "FORBIDDEN",
                          "the token does not cover sensor '" + utf8_excerpt(shown, max_echoed_id_bytes) + "'");
    }
    if (!id || !is_valid_sensor_id(*id) || !(*ctx.forget)(*id)) {
        return not_found("sensor '" + utf8_excerpt(shown, max_echoed_id_bytes) + "'");
    }
    SB_LOG(info, "http", "sensor forgotten", "sensor=" + log_quote(*id));
    http_reply reply;
    reply.status = 204;
    reply.content_type.clear();
    return reply;
}

// GET /api/sensors/{id}/series and GET /api/series (series_reply.hpp).
http_reply series_route(const std::string_view* raw_id, std::string_view query, const http_request& req,
                  const rest_context& ctx) {
    series_query q;
    if (auto bad = parse_series_query(query, req.accept, ctx.now_ms, q)) return json_error(400, "BAD_REQUEST", *bad);
    auto request = std::make_shared<series_request>();
    if (!raw_id) {
        if (auto bad = prefix_series_request(ctx.latest, ctx.scope, q, *request)) return std::move(*bad);
    } else {
        http_reply error;
        const sensor_registry::entry* e = find_sensor(*raw_id, ctx, error);
        if (!e) return error;
        *request = sensor_series_request(*e, q);
    }
    if (!ctx.history) return memory_series_reply(*request);
    http_reply later;
    later.deferred = [history = ctx.history, request](std::function<void(http_reply)> done) {
        auto answer = std::make_shared<std::function<void(http_reply)>>(std::move(done));
        const bool queued = history->submit([request, answer](tier_reader& r) { (*answer)(tiered_series_reply(r, *request)); });
        if (!queued) {
            http_reply busy = json_error(503, "BUSY", "too many history queries are waiting; try again in a second");
            busy.headers.emplace_back("Retry-After", "1");
            (*answer)(std::move(busy));
        }
    };
    return later;
}

http_reply dispatch(std::string_view path, std::string_view query, const http_request& req, const rest_context& ctx) {
    const std::vector<std::string_view> seg = api_segments(path);

    if (seg.size() == 1 && seg[0] == "health") return health(ctx);
    if (seg.size() == 1 && seg[0] == "stats") return stats(ctx);
    if (seg.size() == 1 && seg[0] == "series") return series_route(nullptr, query, req, ctx);
    if (!seg.empty() && seg[0] == "sensors") {
        if (seg.size() == 1) return list_sensors(query, ctx);
        if (seg.size() == 2) return one_sensor(seg[1], ctx);
        if (seg.size() == 3 && seg[2] == "history") return sensor_history(seg[1], query, ctx);
        if (seg.size() == 3 && seg[2] == "series") return series_route(&seg[1], query, req, ctx);
    }
    return not_found("API route '" + utf8_excerpt(path, max_echoed_id_bytes) + "'");
}

}  // namespace

std::optional<http_reply> route_rest(const http_request& req, const rest_context& ctx) {
    const target_parts parts = split_target(req.target);
    if (parts.path == "/metrics" && (req.method == "GET" || req.method == "HEAD")) {
        http_reply reply;
        reply.content_type = "text/plain; version=0.0.4; charset=utf-8";
        reply.body = metrics_text(ctx.stats, ctx.health, ctx.version);
        reply.headers.emplace_back("Cache-Control", "no-store");
        return reply;
    }
    if (!is_api_path(parts.path)) return std::nullopt;

    http_reply reply;
    const std::vector<std::string_view> seg = api_segments(parts.path);
    const bool one_sensor_path = seg.size() == 2 && seg[0] == "sensors";
    if (req.method == "GET" || req.method == "HEAD") {
        // HEAD gets the GET reply; the transport drops the body.
        reply = dispatch(parts.path, parts.query, req, ctx);
    } else if (req.method == "DELETE" && one_sensor_path && ctx.forget) {
        reply = delete_sensor(seg[1], req, ctx);
    } else if (one_sensor_path && ctx.forget) {
        reply = json_error(405, "METHOD_NOT_ALLOWED", "GET, HEAD and DELETE are allowed on a sensor");
        reply.headers.emplace_back("Allow", "GET, HEAD, DELETE");
    } else {
        reply = json_error(405, "METHOD_NOT_ALLOWED", "only GET and HEAD are allowed on /api");
        reply.headers.emplace_back("Allow", "GET, HEAD");
    }
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
}

}  // namespace sb
