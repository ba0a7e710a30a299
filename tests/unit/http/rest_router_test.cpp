#include "http/rest_router.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <string>
#include <vector>

namespace sb {
namespace {

reading make_reading(std::string id, reading_value value, std::string unit = "") {
    reading r;
    r.topic = "sensors/" + id;
    r.sensor_id = std::move(id);
    r.value = std::move(value);
    r.unit = std::move(unit);
    r.timestamp = 1795000000123;
    r.received_at = 1795000000130;
    r.seq = 42;
    return r;
}

rapidjson::Document parse(const std::string& body) {
    rapidjson::Document doc;
    doc.Parse(body.c_str(), body.size());
    EXPECT_FALSE(doc.HasParseError()) << body;
    return doc;
}

// error.code of a JSON error body, or "<none>" when the body is not one (never asserts).
std::string error_code(const http_reply& reply) {
    rapidjson::Document doc;
    doc.Parse(reply.body.c_str(), reply.body.size());
    if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("error")) return "<none>";
    const rapidjson::Value& error = doc["error"];
    if (!error.IsObject() || !error.HasMember("code") || !error["code"].IsString()) return "<none>";
    return error["code"].GetString();
}

std::string header(const http_reply& reply, std::string_view name) {
    for (const auto& [key, value] : reply.headers) {
        if (key == name) return value;
    }
    return "<absent>";
}

std::vector<std::string> member_names(const rapidjson::Value& object) {
    std::vector<std::string> names;
    if (!object.IsObject()) return names;
    for (const auto& m : object.GetObject()) names.emplace_back(m.name.GetString());
    return names;
}

class rest_router_test : public ::testing::Test {
protected:
    void SetUp() override {
        // Inserted out of order: the list must come back sorted by id.
        cache_.update(make_reading("kitchen.temp", 21.5, "°C"), nullptr);
        cache_.update(make_reading("door-1", true), nullptr);
        cache_.update(make_reading("kitchen humid", 40.0, "%"), nullptr);
        cache_.update(make_reading("alpha", std::string("open")), nullptr);
        cache_.update(make_reading("kitchen.co2", 612.0, "ppm"), nullptr);
    }

    std::optional<http_reply> route(std::string target, std::string method = "GET") {
        return route_rest(http_request{std::move(method), std::move(target)},
                          rest_context{cache_, stats_, health_});
    }

    // The reply for an API target; fails the test when the router declined it.
    http_reply api(std::string target, std::string method = "GET") {
        auto reply = route(target, std::move(method));
        EXPECT_TRUE(reply.has_value()) << target;
        return reply.value_or(http_reply{});
    }

    static std::vector<std::string> ids(const rapidjson::Document& doc) {
        std::vector<std::string> out;
        for (const auto& item : doc.GetArray()) out.emplace_back(item["sensorId"].GetString());
        return out;
    }

    sensor_registry cache_;
    stats_snapshot stats_;
    health_snapshot health_{true, true};
};

TEST_F(rest_router_test, list_is_sorted_by_id) {
    const http_reply reply = api("/api/sensors");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "application/json");
    EXPECT_EQ(header(reply, "Cache-Control"), "no-store");
    const auto doc = parse(reply.body);
    ASSERT_TRUE(doc.IsArray());
    EXPECT_EQ(ids(doc), (std::vector<std::string>{"alpha", "door-1", "kitchen humid", "kitchen.co2",
                                                  "kitchen.temp"}));
}

TEST_F(rest_router_test, trailing_slash_lists_too) {
    const auto doc = parse(api("/api/sensors/").body);
    ASSERT_TRUE(doc.IsArray());
    EXPECT_EQ(doc.Size(), 5u);
}

struct prefix_case {
    std::string target;
    std::vector<std::string> expected;
};

TEST_F(rest_router_test, prefix_filters_with_decoded_query_values) {
    const std::vector<prefix_case> cases = {
        {"/api/sensors?prefix=kitchen.", {"kitchen.co2", "kitchen.temp"}},
        {"/api/sensors?prefix=kitchen%2E", {"kitchen.co2", "kitchen.temp"}},
        {"/api/sensors?prefix=kitchen+", {"kitchen humid"}},
        {"/api/sensors?prefix=kitchen%20h", {"kitchen humid"}},
        {"/api/sensors?x=1&prefix=door", {"door-1"}},
        {"/api/sensors?prefix=door#frag", {"door-1"}},
        {"/api/sensors?prefix=zzz", {}},
        {"/api/sensors?prefix=",
         {"alpha", "door-1", "kitchen humid", "kitchen.co2", "kitchen.temp"}},
    };
    for (const auto& c : cases) {
        const http_reply reply = api(c.target);
        EXPECT_EQ(reply.status, 200) << c.target;
        const auto doc = parse(reply.body);
        ASSERT_TRUE(doc.IsArray()) << c.target;
        EXPECT_EQ(ids(doc), c.expected) << c.target;
    }
}

TEST_F(rest_router_test, malformed_prefix_is_bad_request) {
    const http_reply reply = api("/api/sensors?prefix=%zz");
    EXPECT_EQ(reply.status, 400);
    EXPECT_EQ(error_code(reply), "BAD_REQUEST");
}

TEST_F(rest_router_test, single_number_reading_has_every_field) {
    const http_reply reply = api("/api/sensors/kitchen.temp");
    ASSERT_EQ(reply.status, 200);
    const auto doc = parse(reply.body);
    ASSERT_TRUE(doc.IsObject());
    for (const char* key :
         {"sensorId", "value", "unit", "timestamp", "receivedAt", "seq", "topic"}) {
        ASSERT_TRUE(doc.HasMember(key)) << key;
    }
    EXPECT_EQ(doc.MemberCount(), 7u);
    EXPECT_STREQ(doc["sensorId"].GetString(), "kitchen.temp");
    ASSERT_TRUE(doc["value"].IsNumber());
    EXPECT_DOUBLE_EQ(doc["value"].GetDouble(), 21.5);
    EXPECT_STREQ(doc["unit"].GetString(), "°C");
    ASSERT_TRUE(doc["timestamp"].IsInt64());
    EXPECT_EQ(doc["timestamp"].GetInt64(), 1795000000123);
    ASSERT_TRUE(doc["receivedAt"].IsInt64());
    EXPECT_EQ(doc["receivedAt"].GetInt64(), 1795000000130);
    ASSERT_TRUE(doc["seq"].IsUint64());
    EXPECT_EQ(doc["seq"].GetUint64(), 42u);
    EXPECT_STREQ(doc["topic"].GetString(), "sensors/kitchen.temp");
}

TEST_F(rest_router_test, bool_and_string_values_keep_their_type_and_empty_unit_is_omitted) {
    const http_reply door_reply = api("/api/sensors/door-1");
    ASSERT_EQ(door_reply.status, 200);
    const auto door = parse(door_reply.body);
    ASSERT_TRUE(door.HasMember("value"));
    ASSERT_TRUE(door["value"].IsBool());
    EXPECT_TRUE(door["value"].GetBool());
    EXPECT_FALSE(door.HasMember("unit"));

    const http_reply alpha_reply = api("/api/sensors/alpha");
    ASSERT_EQ(alpha_reply.status, 200);
    const auto alpha = parse(alpha_reply.body);
    ASSERT_TRUE(alpha.HasMember("value"));
    ASSERT_TRUE(alpha["value"].IsString());
    EXPECT_STREQ(alpha["value"].GetString(), "open");
    EXPECT_FALSE(alpha.HasMember("unit"));
}

TEST_F(rest_router_test, id_segment_is_percent_decoded) {
    const std::vector<std::string> targets = {"/api/sensors/kitchen%2Etemp",
                                              "/api/sensors/kitchen%2etemp?x=y",
                                              "/api/sensors/%6Bitchen.temp/"};
    for (const auto& target : targets) {
        const http_reply reply = api(target);
        ASSERT_EQ(reply.status, 200) << target;
        const auto doc = parse(reply.body);
        ASSERT_TRUE(doc.IsObject() && doc.HasMember("sensorId")) << target;
        EXPECT_STREQ(doc["sensorId"].GetString(), "kitchen.temp") << target;
    }
}

TEST_F(rest_router_test, unknown_or_invalid_id_is_404_with_error_object) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/api/sensors/nope", "no sensor 'nope'"},
        {"/api/sensors/bad%22id", "no sensor 'bad\"id'"},     // escaped, still valid JSON
        {"/api/sensors/a%2Fb", "no sensor 'a/b'"},           // encoded slash stays in the id
        {"/api/sensors/kitchen+humid", "no sensor 'kitchen+humid'"},  // '+' is literal in paths
        {"/api/sensors/%zz", "no sensor '%zz'"},
        {"/api/sensors/%FF", "no sensor '\xEF\xBF\xBD'"},    // invalid UTF-8 never echoed raw
    };
    for (const auto& [target, message] : cases) {
        const http_reply reply = api(target);
        EXPECT_EQ(reply.status, 404) << target;
        EXPECT_EQ(reply.content_type, "application/json");
        const auto doc = parse(reply.body);
        ASSERT_TRUE(doc.IsObject()) << target;
        ASSERT_TRUE(doc.HasMember("error")) << target;
        EXPECT_EQ(doc.MemberCount(), 1u);
        EXPECT_STREQ(doc["error"]["code"].GetString(), "NOT_FOUND") << target;
        EXPECT_EQ(doc["error"]["message"].GetString(), message) << target;
    }
}

TEST_F(rest_router_test, echoed_id_is_truncated_to_128_bytes) {
    const std::string long_id(1000, 'x');
    const http_reply reply = api("/api/sensors/" + long_id);
    ASSERT_EQ(reply.status, 404);
    ASSERT_EQ(error_code(reply), "NOT_FOUND");
    const std::string message = parse(reply.body)["error"]["message"].GetString();
    const std::string prefix = "no sensor '";
    ASSERT_EQ(message.compare(0, prefix.size(), prefix), 0);
    const std::string echoed = message.substr(prefix.size(), message.size() - prefix.size() - 1);
    EXPECT_LE(echoed.size(), 128u);
    EXPECT_GE(echoed.size(), 100u);
    EXPECT_LT(reply.body.size(), 300u);
}

TEST_F(rest_router_test, health_status_depends_on_mqtt_and_db) {
    struct health_case {
        bool mqtt;
        bool db;
        bool recovered;  // a corrupt database was replaced at start, nothing committed yet
        int status;
        const char* overall;
        const char* mqtt_text;
        const char* db_text;
    };
    const health_case cases[] = {
        {true, true, false, 200, "ok", "connected", "ok"},
        {false, true, false, 503, "degraded", "disconnected", "ok"},
        {true, false, false, 503, "degraded", "connected", "error"},
        {false, false, false, 503, "degraded", "disconnected", "error"},
        {true, true, true, 503, "degraded", "connected", "recovered"},
        {true, false, true, 503, "degraded", "connected", "error"},
    };
    for (const auto& c : cases) {
        health_ = health_snapshot{c.mqtt, c.db, c.recovered};
        health_.instance = "00112233445566778899aabbccddeeff";
        const http_reply reply = api("/api/health");
        EXPECT_EQ(reply.status, c.status);
        const auto doc = parse(reply.body);
        ASSERT_TRUE(doc.IsObject());
        EXPECT_EQ(member_names(doc),
                  (std::vector<std::string>{"status", "mqtt", "broker", "db", "version", "instance", "authRequired"}));
        EXPECT_STREQ(doc["instance"].GetString(), "00112233445566778899aabbccddeeff");
        EXPECT_FALSE(doc["authRequired"].GetBool());
        EXPECT_STREQ(doc["status"].GetString(), c.overall);
        EXPECT_STREQ(doc["mqtt"].GetString(), c.mqtt_text);
        EXPECT_STREQ(doc["db"].GetString(), c.db_text);
        EXPECT_STREQ(doc["version"].GetString(), SENSOR_BRIDGE_VERSION);
    }
}

TEST_F(rest_router_test, stats_has_exact_field_names_and_integer_values) {
    stats_.ingest = {100, 90, 10, {{"bad_json", 7}, {"too_large", 3}}};
    stats_.ws = {2, 5, 400, 1, 33, 4, 6, 8};
    stats_.store = {5, 12, 80, 0};
    const http_reply reply = api("/api/stats");
    ASSERT_EQ(reply.status, 200);
    const auto doc = parse(reply.body);
    ASSERT_TRUE(doc.IsObject());
    using names = std::vector<std::string>;
    EXPECT_EQ(member_names(doc), (names{"ingest", "ws", "store"}));
    EXPECT_EQ(member_names(doc["ingest"]),
              (names{"received", "accepted", "duplicates", "retainedSkipped", "ignored", "discovered", "partlyRefused", "rejected",
                     "rejectedByReason", "deadLettered", "deadLetterFailed"}));
    EXPECT_EQ(member_names(doc["ws"]), (names{"connections", "subscriptions", "sent", "dropped", "conflated",
                                              "authFailures", "rateLimited", "slowClosed", "queuedBytes"}));
    EXPECT_EQ(member_names(doc["store"]), (names{"sensors", "commits", "written", "failed", "unpersisted",
                                                 "historyWritten", "historyDropped", "dbBytes", "fileBytes", "walBytes",
                                                 "tierPoints",
                                                 "tierCompactions", "tierEvictions", "tierDropped"}));

    EXPECT_EQ(doc["ingest"]["received"].GetUint64(), 100u);
    EXPECT_EQ(doc["ingest"]["accepted"].GetUint64(), 90u);
    EXPECT_EQ(doc["ingest"]["rejected"].GetUint64(), 10u);
    EXPECT_EQ(doc["ingest"]["rejectedByReason"]["bad_json"].GetUint64(), 7u);
    EXPECT_EQ(doc["ingest"]["rejectedByReason"]["too_large"].GetUint64(), 3u);
    EXPECT_EQ(doc["ws"]["connections"].GetUint64(), 2u);
    EXPECT_EQ(doc["ws"]["subscriptions"].GetUint64(), 5u);
    EXPECT_EQ(doc["ws"]["sent"].GetUint64(), 400u);
    EXPECT_EQ(doc["ws"]["dropped"].GetUint64(), 1u);
    EXPECT_EQ(doc["ws"]["conflated"].GetUint64(), 33u);
    EXPECT_EQ(doc["ws"]["authFailures"].GetUint64(), 4u);
    EXPECT_EQ(doc["ws"]["rateLimited"].GetUint64(), 6u);
    EXPECT_EQ(doc["ws"]["slowClosed"].GetUint64(), 8u);
    EXPECT_EQ(doc["store"]["sensors"].GetUint64(), 5u);
    EXPECT_EQ(doc["store"]["commits"].GetUint64(), 12u);
    EXPECT_EQ(doc["store"]["written"].GetUint64(), 80u);
    EXPECT_EQ(doc["store"]["failed"].GetUint64(), 0u);
    EXPECT_TRUE(doc["store"]["failed"].IsUint64());
}

TEST_F(rest_router_test, other_methods_get_405_with_allow) {
    for (const char* method : {"POST", "PUT", "DELETE", "PATCH", "OPTIONS", "get"}) {
        for (const char* target : {"/api/sensors", "/api/health", "/api/nope"}) {
            const http_reply reply = api(target, method);
            EXPECT_EQ(reply.status, 405) << method << ' ' << target;
            EXPECT_EQ(header(reply, "Allow"), "GET, HEAD");
            EXPECT_EQ(header(reply, "Cache-Control"), "no-store");
            EXPECT_EQ(error_code(reply), "METHOD_NOT_ALLOWED");
        }
    }
}

TEST_F(rest_router_test, head_answers_like_get) {
    for (const char* target : {"/api/sensors", "/api/sensors/alpha", "/api/sensors/nope"}) {
        const http_reply get = api(target, "GET");
        const http_reply head = api(target, "HEAD");
        EXPECT_EQ(head.status, get.status) << target;
        EXPECT_EQ(head.content_type, get.content_type);
        EXPECT_EQ(head.headers, get.headers);
    }
}

TEST_F(rest_router_test, unknown_api_paths_are_json_404) {
    for (const char* target : {"/api", "/api/", "/api/nope", "/api/sensors/alpha/nope",
                               "/api/sensors/alpha/history/x", "/api//sensors", "/api/health/x",
                               "/api/sensors//history"}) {
        const http_reply reply = api(target);
        EXPECT_EQ(reply.status, 404) << target;
        EXPECT_EQ(header(reply, "Cache-Control"), "no-store");
        EXPECT_EQ(error_code(reply), "NOT_FOUND") << target;
    }
}

TEST_F(rest_router_test, non_api_targets_are_declined) {
    for (const char* target : {"/", "/index.html", "/metricsx", "/apix", "/api.js", "/ws",
                               "/static/api/x", "/?/api/sensors"}) {
        EXPECT_FALSE(route(target).has_value()) << target;
        EXPECT_FALSE(route(target, "POST").has_value()) << target;
    }
}

TEST_F(rest_router_test, history_lists_the_newest_readings_oldest_first) {
    for (int i = 1; i <= 4; ++i) {
        reading r = make_reading("hist", static_cast<double>(i), i < 4 ? "°C" : "°F");
        r.seq = static_cast<std::uint64_t>(i);
        cache_.update(std::move(r), nullptr);
    }
    auto doc = parse(api("/api/sensors/hist/history").body);
    ASSERT_TRUE(doc.IsArray());
    ASSERT_EQ(doc.Size(), 4u);
    for (rapidjson::SizeType i = 0; i < 4; ++i) EXPECT_EQ(doc[i]["seq"].GetUint64(), i + 1u);
    EXPECT_STREQ(doc[0]["unit"].GetString(), "°C");  // each point keeps its own unit
    EXPECT_STREQ(doc[3]["unit"].GetString(), "°F");
    EXPECT_STREQ(doc[0]["sensorId"].GetString(), "hist");

    doc = parse(api("/api/sensors/hist/history?limit=2").body);
    ASSERT_EQ(doc.Size(), 2u);
    EXPECT_EQ(doc[0]["seq"].GetUint64(), 3u);
    EXPECT_EQ(doc[1]["seq"].GetUint64(), 4u);

    EXPECT_EQ(api("/api/sensors/missing/history").status, 404);
}

TEST_F(rest_router_test, history_limit_is_parsed_and_clamped) {
    const std::vector<std::pair<std::string, int>> cases = {
        {"", 200},          {"?limit=1", 200},     {"?limit=5", 200},
        {"?limit=1000", 200}, {"?limit=99999999999999999999999", 200},
        {"?limit=%35", 200},  {"?limit=0", 400},     {"?limit=-1", 400},
        {"?limit=", 400},     {"?limit", 400},       {"?limit=abc", 400},
        {"?limit=1.5", 400},  {"?limit=+5", 400},    {"?limit=5x", 400},
        {"?limit=%zz", 400},  {"?limit=00", 400},
    };
    for (const auto& [query, status] : cases) {
        const http_reply reply = api("/api/sensors/alpha/history" + query);
        EXPECT_EQ(reply.status, status) << query;
        if (status == 200) {
            const auto doc = parse(reply.body);
            ASSERT_TRUE(doc.IsArray()) << query;
            EXPECT_EQ(doc.Size(), 1u) << query;
        } else {
            EXPECT_EQ(error_code(reply), "BAD_REQUEST") << query;
        }
    }
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// A token limited to some rooms reads only their sensors; others are 403 whether they exist or not.
TEST_F(rest_router_test, a_scoped_token_sees_only_its_sensors) {
    const room_scope kitchen = *room_scope::parse({"sensor:kitchen.*"});
    rest_context ctx{cache_, stats_, health_};
    ctx.scope = &kitchen;
    const auto list = parse(route_rest(http_request{"GET", "/api/sensors"}, ctx)->body);
    EXPECT_EQ(ids(list), (std::vector<std::string>{"kitchen.co2", "kitchen.temp"}));
    EXPECT_EQ(route_rest(http_request{"GET", "/api/sensors/kitchen.temp"}, ctx)->status, 200);
    for (const char* target : {"/api/sensors/door-1", "/api/sensors/no-such", "/api/sensors/door-1/history"}) {
        const auto reply = route_rest(http_request{"GET", target}, ctx);
        EXPECT_EQ(reply->status, 403) << target;
        EXPECT_NE(reply->body.find("\"FORBIDDEN\""), std::string::npos);
    }
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// DELETE /api/sensors/{id} (docs/PROTOCOL.md §6): only with the right, only on a sensor, and
// through the forget callback the bridge gives the router.
class rest_delete_test : public rest_router_test {
protected:
    http_reply del(const std::string& target, bool admin, const room_scope* scope = nullptr) {
        http_request req{"DELETE", target};
        req.admin = admin;
        rest_context ctx{cache_, stats_, health_};
        ctx.scope = scope;
        ctx.forget = &forget_;
        auto reply = route_rest(req, ctx);
        EXPECT_TRUE(reply.has_value()) << target;
        return reply.value_or(http_reply{});
    }
    std::vector<std::string> forgotten_;
    std::function<bool(std::string_view)> forget_ = [this](std::string_view id) {
        forgotten_.emplace_back(id);
        return cache_.remove(id);
    };
};

TEST_F(rest_delete_test, an_admin_removes_a_known_sensor_with_204) {
    const http_reply reply = del("/api/sensors/kitchen.temp", true);
    EXPECT_EQ(reply.status, 204) << reply.body;
    EXPECT_TRUE(reply.body.empty());
    EXPECT_EQ(forgotten_, std::vector<std::string>{"kitchen.temp"});
    EXPECT_EQ(api("/api/sensors/kitchen.temp").status, 404);
    EXPECT_EQ(del("/api/sensors/kitchen.temp", true).status, 404) << "gone: a second DELETE finds nothing";
    EXPECT_EQ(del("/api/sensors/kitchen%2Eco2", true).status, 204) << "the id is percent-decoded";
}

TEST_F(rest_delete_test, without_the_right_or_the_rooms_it_is_403_and_nothing_goes) {
    const http_reply refused = del("/api/sensors/alpha", false);
    EXPECT_EQ(refused.status, 403);
    EXPECT_EQ(error_code(refused), "FORBIDDEN");
    const auto scope = room_scope::parse({"sensor:kitchen*"});
    ASSERT_TRUE(scope);
    EXPECT_EQ(del("/api/sensors/alpha", true, &*scope).status, 403) << "an admin token limited to other rooms";
    EXPECT_TRUE(forgotten_.empty());
    EXPECT_EQ(api("/api/sensors/alpha").status, 200);
}

TEST_F(rest_delete_test, only_a_sensor_can_be_deleted_and_its_path_says_so) {
    for (const char* target : {"/api/sensors", "/api/health", "/api/sensors/alpha/history"}) {
        const http_reply reply = del(target, true);
        EXPECT_EQ(reply.status, 405) << target;
        EXPECT_EQ(header(reply, "Allow"), "GET, HEAD") << target;
    }
    const http_reply put = [&] {
        http_request req{"PUT", "/api/sensors/alpha"};
        rest_context ctx{cache_, stats_, health_};
        ctx.forget = &forget_;
        return *route_rest(req, ctx);
    }();
    EXPECT_EQ(put.status, 405);
    EXPECT_EQ(header(put, "Allow"), "GET, HEAD, DELETE");
    EXPECT_TRUE(forgotten_.empty());
}

}  // namespace
}  // namespace sb
