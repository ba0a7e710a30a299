// libFuzzer target: the HTTP request target (issue 19, finding 6) as the REST side reads it:
// split_target, percent_decode (paths: '+' literal; query values: '+' a space),
// find_query_param, the series query (parse_series_query, parse_series_time), and route_rest
// itself over a registry of a few sensors (GET, HEAD and DELETE, with and without a scope).
// Input: the request target, optionally followed by '\n' and an Accept header.
// Invariants: the path and query are the target's own bytes, in order, without '?' or '#';
// percent_decode refuses exactly the inputs with a '%' not followed by two hex digits, shrinks
// the text by two bytes a '%', is undone by percent-encoding every byte, and treats '+' as a
// space exactly where asked; find_query_param agrees with a plain reference reading; a series
// query it accepts has 0 <= from <= to <= 9999-12-31 and 1..10000 points, and every time it
// reads prints (iso8601_utc) to text that reads back to the same ms. route_rest answers every
// /api target (nothing else) with a known status, a JSON body that is valid UTF-8 and parses
// (or CSV), and never forgets a sensor for a request without the admin right.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "http/query_string.hpp"
#include "http/rest_router.hpp"
#include "http/series_query.hpp"
#include "http/url_decode.hpp"
#include "normalize/timestamp.hpp"

namespace sb::fuzz {
namespace {

constexpr std::int64_t now_ms = 1'765'000'000'000;  // 2025-12-06, fixed: runs are reproducible

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

bool escapes_well_formed(std::string_view s) {
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '%') continue;
        if (i + 2 >= s.size()) return false;
        if (!is_hex(s[i + 1]) || !is_hex(s[i + 2])) return false;
        i += 2;
    }
    return true;
}

std::string percent_encode_all(std::string_view s) {
    static const char hex[] = "0123456789ABCDEF";
    std::string out;
    for (char c : s) {
        const auto b = static_cast<unsigned char>(c);
        out += '%';
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

void check_percent_decode(std::string_view in) {
    const auto literal = percent_decode(in, plus_handling::literal);
    FUZZ_CHECK(literal.has_value() == escapes_well_formed(in), "refused a well-formed text or took a broken escape");
    if (!literal) {
        FUZZ_CHECK(!percent_decode(in, plus_handling::as_space), "as_space took what literal refused");
        return;
    }
    std::size_t percents = 0;
    for (char c : in) percents += c == '%';
    FUZZ_CHECK(literal->size() == in.size() - 2 * percents, "decoded size is not the input less 2 a '%'");
    FUZZ_CHECK(percent_decode(percent_encode_all(*literal)) == literal, "encode-all then decode changed it");
    std::string plus_as_space(in);
    for (char& c : plus_as_space) c = c == '+' ? ' ' : c;
    FUZZ_CHECK(percent_decode(in, plus_handling::as_space) == percent_decode(plus_as_space), "'+' not a space");
}

// The first name=value pair whose decoded name matches, read the plain way.
query_value reference_param(std::string_view query, std::string_view name) {
    std::size_t start = 0;
    while (start <= query.size() && !query.empty()) {
        std::size_t amp = query.find('&', start);
        if (amp == std::string_view::npos) amp = query.size();
        const std::string_view pair = query.substr(start, amp - start);
        const std::size_t eq = pair.find('=');
        const auto key = percent_decode(pair.substr(0, eq), plus_handling::as_space);
        if (key && *key == name) {
            const auto value = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1),
                                              plus_handling::as_space);
            if (!value) return {query_status::malformed, {}};
            return {query_status::present, *value};
        }
        if (amp == query.size()) break;
        start = amp + 1;
    }
    return {};
}

reading sample(std::string id, reading_value value, std::int64_t t) {
    reading r;
    r.topic = "sensors/" + id;
    r.sensor_id = std::move(id);
    r.value = std::move(value);
    r.timestamp = r.received_at = t;
    r.seq = 7;
    return r;
}

sensor_registry& registry() {
    static sensor_registry* r = [] {
        auto* reg = new sensor_registry(100, 16);
        reg->update(sample("kitchen.temp", 21.5, now_ms - 60'000), nullptr);
        reg->update(sample("kitchen.temp", 21.75, now_ms - 1'000), nullptr);
        reg->update(sample("door-1", true, now_ms - 5'000), nullptr);
        reg->update(sample("K\xc3\xbc" "che.Temperatur", std::string("open"), now_ms), nullptr);
        return reg;
    }();
    return *r;
}

void check_route(std::string_view target, std::string_view accept, std::uint8_t flavour) {
    http_request req;
    req.method = flavour % 3 == 0 ? "GET" : flavour % 3 == 1 ? "HEAD" : "DELETE";
    req.target = std::string(target);
    req.accept = std::string(accept);
    req.admin = (flavour & 4) != 0;
    if (flavour & 8) req.scope = *room_scope::parse({"sensor:kitchen.*"});
    const stats_snapshot stats{};
    const health_snapshot health{};
    bool forgot = false;
    const std::function<bool(std::string_view)> forget = [&forgot](std::string_view) {
        forgot = true;
        return false;  // as for a sensor already gone: nothing changes between runs
    };
    rest_context ctx{registry(), stats, health};
    ctx.scope = (flavour & 8) ? &req.scope : nullptr;
    ctx.forget = &forget;
    ctx.now_ms = now_ms;
    const auto reply = route_rest(req, ctx);
    const bool api = split_target(target).path.substr(0, 4) == "/api";
    if (!reply) {
        FUZZ_CHECK(!api || split_target(target).path.substr(0, 5) != "/api/", "an /api/ target left to static files");
        return;
    }
    FUZZ_CHECK(!forgot || req.admin, "a sensor forgotten without the admin right");
    const int s = reply->status;
    FUZZ_CHECK(s == 200 || s == 204 || s == 400 || s == 403 || s == 404 || s == 405 || s == 413 || s == 503,
               "unexpected status " + std::to_string(s));
    if (reply->deferred) return;
    FUZZ_CHECK(sb::fuzz::is_valid_utf8(reply->body), "a reply body that is not UTF-8");
    if (reply->content_type.find("json") != std::string::npos && !reply->body.empty()) {
        rapidjson::Document doc;
        doc.Parse(reply->body.data(), reply->body.size());
        FUZZ_CHECK(!doc.HasParseError(), "a JSON reply that does not parse: " + reply->body);
    }
}

void check_time(std::string_view text) {
    const auto t = parse_series_time(text, now_ms);
    if (!t) return;
    FUZZ_CHECK(*t >= 0 && *t <= detail::max_timestamp_ms, "a series time outside 1970..9999");
    const std::string iso = iso8601_utc(*t);
    FUZZ_CHECK(parse_series_time(iso, now_ms) == t, "iso8601_utc does not read back: " + iso);
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb;
    using namespace sb::fuzz;
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t nl = input.find('\n');
    const std::string_view target = input.substr(0, nl);
    const std::string_view accept = nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1);

    const target_parts parts = split_target(target);
    FUZZ_CHECK(parts.path.data() == target.data(), "the path does not start the target");
    FUZZ_CHECK(parts.path.find_first_of("?#") == std::string_view::npos, "'?' or '#' in the path");
    FUZZ_CHECK(parts.query.find('#') == std::string_view::npos, "'#' in the query");
    if (!parts.query.empty()) {
        FUZZ_CHECK(parts.query.data() == parts.path.data() + parts.path.size() + 1, "query not after the '?'");
        FUZZ_CHECK(parts.query.data() + parts.query.size() <= target.data() + target.size(), "query past the target");
    }
    check_percent_decode(parts.path);
    check_percent_decode(parts.query);

    for (std::string_view name : {"from", "to", "maxPoints", "format", "prefix", "room"}) {
        const query_value got = find_query_param(parts.query, name);
        const query_value want = reference_param(parts.query, name);
        FUZZ_CHECK(got.status == want.status && got.value == want.value,
                   "find_query_param disagrees on " + std::string(name));
        if (got.status == query_status::present) check_time(got.value);
    }

    series_query q;
    if (const auto error = parse_series_query(parts.query, accept, now_ms, q)) {
        FUZZ_CHECK(!error->empty() && sb::fuzz::is_valid_utf8(*error), "an empty or non-UTF-8 error");
    } else {
        FUZZ_CHECK(0 <= q.from && q.from <= q.to && q.to <= detail::max_timestamp_ms, "from/to out of order or range");
        FUZZ_CHECK(q.max_points >= 1 && q.max_points <= max_series_points, "maxPoints out of 1..10000");
        FUZZ_CHECK(q.prefix == find_query_param(parts.query, "prefix").value, "prefix not the decoded parameter");
    }
    check_time(target);
    check_route(target, accept, size > 0 ? data[size - 1] : 0);
    return 0;
}
