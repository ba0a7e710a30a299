#include "http/series_reply.hpp"

#include <charconv>
#include <cmath>
#include <vector>

#include "auth/room_scope.hpp"
#include "core/json_writer.hpp"
#include "state/series.hpp"

namespace sb {
namespace {

// As readings write them: a whole number without a fraction.
void write_number(json_writer& w, double d) {
    if (std::trunc(d) == d && std::fabs(d) < 1e15) {
        w.Int64(static_cast<std::int64_t>(d));
    } else {
        w.Double(d);
    }
}

void write_value(json_writer& w, const reading_value& v) {
    if (const double* d = std::get_if<double>(&v)) return write_number(w, *d);
    if (const bool* b = std::get_if<bool>(&v)) return static_cast<void>(w.Bool(*b));
    write_string(w, std::get<std::string>(v));
}

void write_series_members(json_writer& w, const std::string& sensor_id, const series& s) {
    write_key(w, "sensorId");
    write_string(w, sensor_id);
    write_key(w, "resolution");
    write_string(w, s.resolution());
    write_key(w, "tier");
    write_string(w, s.tier);
    write_key(w, "heldFrom");
    w.Int64(s.held_from);
    write_key(w, "points");
    w.StartArray();
    for (const series_point& p : s.points) {
        w.StartObject();
        write_key(w, "t");
        w.Int64(p.t);
        write_key(w, "v");
        write_value(w, p.v);
        w.EndObject();
    }
    for (const series_bucket& b : s.buckets) {
        w.StartObject();
        write_key(w, "t");
        w.Int64(b.t);
        for (const auto& [key, value] : {std::pair{"min", b.min}, {"max", b.max}, {"mean", b.mean}}) {
            write_key(w, key);
            write_number(w, value);
        }
        write_key(w, "count");
        w.Uint64(b.count);
        write_key(w, "last");
        write_number(w, b.last);
        w.EndObject();
    }
    w.EndArray();
}

void write_range(json_writer& w, const series_query& q) {
    write_key(w, "from");
    w.Int64(q.from);
    write_key(w, "to");
    w.Int64(q.to);
}

void append_number(std::string& out, double d) {
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
    if (ec == std::errc()) out.append(buf, end);
}

void append_integer(std::string& out, std::int64_t n) {
    char buf[24];
    out.append(buf, std::to_chars(buf, buf + sizeof buf, n).ptr);
}

// RFC 4180 quoting; text a spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a
// leading apostrophe (OWASP's advice for CSV injection).
std::string csv_text(std::string_view s) {
    std::string out = "\"";
    if (!s.empty() && std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) out += '\'';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

void append_csv_value(std::string& out, const reading_value& v) {
    if (const double* d = std::get_if<double>(&v)) {
        append_number(out, *d);
    } else if (const bool* b = std::get_if<bool>(&v)) {
        out += *b ? "true" : "false";
    } else {
        out += csv_text(std::get<std::string>(v));
    }
}

bool bucketed_numbers(const series& s) { return !s.buckets.empty(); }

void csv_header(std::string& out, bool with_id, bool buckets) {
    if (with_id) out += "sensorId,";
    out += buckets ? "t,time,min,max,mean,count,last\r\n" : "t,time,value\r\n";
}

// bucket_columns: the header has the bucket columns (an export where some sensor is bucketed):
// a raw number is then a bucket of one, other values fill `last` alone.
void csv_rows(std::string& out, const std::string* id, const series& s, bool bucket_columns) {
    const std::string lead = id ? csv_text(*id) + "," : std::string();
    const auto row_start = [&](std::int64_t t) {
        out += lead;
        append_integer(out, t);
        out += ',';
        append_iso8601_utc(out, t);
        out += ',';
    };
    for (const series_point& p : s.points) {
        row_start(p.t);
        if (!bucket_columns) {
            append_csv_value(out, p.v);
        } else if (const double* d = std::get_if<double>(&p.v)) {
            for (int i = 0; i < 3; ++i) {
                append_number(out, *d);
                out += ',';
            }
            out += "1,";
            append_number(out, *d);
        } else {
            out += ",,,1,";
            append_csv_value(out, p.v);
        }
        out += "\r\n";
    }
    for (const series_bucket& b : s.buckets) {
        row_start(b.t);
        for (double d : {b.min, b.max, b.mean}) {
            append_number(out, d);
            out += ',';
        }
        append_integer(out, static_cast<std::int64_t>(b.count));
        out += ',';
        append_number(out, b.last);
        out += "\r\n";
    }
}

http_reply csv_reply(std::string body) {
    http_reply r;
    r.content_type = "text/csv; charset=utf-8; header=present";
    r.body = std::move(body);
    r.headers.emplace_back("Content-Disposition", "attachment; filename=\"series.csv\"");
    return r;
}

http_reply json_reply(const rapidjson::StringBuffer& buf) {
    http_reply r;
    r.body.assign(buf.GetString(), buf.GetSize());
    return r;
}

}  // namespace

http_reply format_series(const series_request& req, const std::vector<series>& all) {
    const series_query& q = req.query;
    if (q.csv) {
        // One header for all: bucket columns when any sensor's answer is bucketed numbers.
        bool buckets = false;
        for (const series& s : all) buckets = buckets || bucketed_numbers(s);
        std::string body;
        csv_header(body, !req.single, buckets);
        for (std::size_t i = 0; i < all.size(); ++i)
            csv_rows(body, req.single ? nullptr : &req.sensors[i].sensor_id, all[i], buckets);
        return csv_reply(std::move(body));
    }
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_range(w, q);
    if (req.single) {
        write_series_members(w, req.sensors.front().sensor_id, all.front());
    } else {
        write_key(w, "series");
        w.StartArray();
        for (std::size_t i = 0; i < all.size(); ++i) {
            w.StartObject();
            write_series_members(w, req.sensors[i].sensor_id, all[i]);
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
    return json_reply(buf);
}

series_request sensor_series_request(const sensor_registry::entry& e, const series_query& q) {
    series_request req;
    req.query = q;
    req.single = true;
    req.sensors.push_back(memory_of(e));
    return req;
}

std::optional<http_reply> prefix_series_request(const sensor_registry& latest, const room_scope* scope,
                                                const series_query& q, series_request& req) {
    req.query = q;
    req.single = false;
    bool too_many = false;
    latest.for_each_prefix(q.prefix, [&](const sensor_registry::entry& e) {
        if (scope && !scope->covers_sensor(e.latest.sensor_id)) return;
        if (req.sensors.size() == max_series_sensors) too_many = true;
        if (!too_many) req.sensors.push_back(memory_of(e));
    });
    if (too_many) {
        return json_error(400, "BAD_REQUEST", "more than " + std::to_string(max_series_sensors) +
                                                  " sensors under the prefix: narrow it");
    }
    return std::nullopt;
}

http_reply memory_series_reply(const series_request& req) {
    std::vector<series> all;
    all.reserve(req.sensors.size());
    for (const series_memory& m : req.sensors) all.push_back(memory_series(m, req.query));
    return format_series(req, all);
}

http_reply tiered_series_reply(tier_reader& r, const series_request& req) {
    std::vector<series> all(req.sensors.size());
    for (std::size_t i = 0; i < req.sensors.size(); ++i) {
        if (!tiered_series(r, req.sensors[i], req.query, all[i])) {
            return json_error(503, "UNAVAILABLE", "the history database could not be read; try again");
        }
    }
    return format_series(req, all);
}

}  // namespace sb
