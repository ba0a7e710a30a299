// REST bodies from route_rest (docs/PROTOCOL.md §6), every route and its errors, validated against the
// rest-*.schema.json files (a single reading against sensor-reading.schema.json).
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "http/rest_router.hpp"
#include "schema_fixtures.hpp"

namespace sb::test {
namespace {

using namespace std::string_literals;

struct rest_case {
    std::string name;
    std::string method;
    std::string target;
    int status;
    std::string schema;
};

void PrintTo(const rest_case& c, std::ostream* os) { *os << c.name; }

constexpr const char* sensors = "rest-sensors.schema.json";
constexpr const char* one = "sensor-reading.schema.json";
constexpr const char* history = "rest-history.schema.json";
constexpr const char* error = "rest-error.schema.json";
constexpr const char* series = "rest-series.schema.json";

const std::vector<rest_case> rest_cases{
    {"sensors", "GET", "/api/sensors", 200, sensors},
    {"sensors_head", "HEAD", "/api/sensors", 200, sensors},
    {"sensors_trailing_slash", "GET", "/api/sensors/", 200, sensors},
    {"sensors_prefix", "GET", "/api/sensors?prefix=kitchen.", 200, sensors},
    {"sensors_prefix_no_match", "GET", "/api/sensors?prefix=zzz", 200, sensors},
    {"sensors_prefix_encoded", "GET", "/api/sensors?prefix=kitchen%2E", 200, sensors},
    {"sensor_number", "GET", "/api/sensors/kitchen.temp", 200, one},
    {"sensor_boolean", "GET", "/api/sensors/door", 200, one},
    {"sensor_string", "GET", "/api/sensors/mode", 200, one},
    {"sensor_long_unit", "GET", "/api/sensors/meter", 200, one},
    {"history", "GET", "/api/sensors/kitchen.temp/history", 200, history},
    {"history_limit", "GET", "/api/sensors/door/history?limit=5", 200, history},
    {"history_limit_clamped", "GET", "/api/sensors/door/history?limit=99999999999999", 200,
     history},
    {"series_number", "GET", "/api/sensors/kitchen.temp/series?from=0&to=2000000000000", 200, series},
    {"series_bucketed", "GET", "/api/sensors/kitchen.temp/series?from=0&to=2000000000000&maxPoints=1", 200, series},
    {"series_text", "GET", "/api/sensors/mode/series?from=0&to=2000000000000", 200, series},
    {"series_empty_range", "GET", "/api/sensors/door/series?from=0&to=5", 200, series},
    {"series_prefix", "GET", "/api/series?prefix=kitchen.&from=0&to=2000000000000", 200, series},
    {"series_prefix_none", "GET", "/api/series?prefix=zzz", 200, series},
    {"series_bad_range", "GET", "/api/sensors/door/series?from=5&to=1", 400, error},
    {"series_bad_points", "GET", "/api/sensors/door/series?maxPoints=0", 400, error},
    {"series_unknown", "GET", "/api/sensors/nope/series", 404, error},
    {"health", "GET", "/api/health", 200, "rest-health.schema.json"},
    {"stats", "GET", "/api/stats", 200, "rest-stats.schema.json"},
    {"sensor_unknown", "GET", "/api/sensors/nope", 404, error},
    {"sensor_bad_id", "GET", "/api/sensors/bad%20id", 404, error},
    {"sensor_bad_utf8_echo", "GET", "/api/sensors/%C3%A9%FF%FE", 404, error},
    {"sensor_bad_escape", "GET", "/api/sensors/%zz", 404, error},
    {"sensor_long_id_echo", "GET", "/api/sensors/" + std::string(2000, 'a'), 404, error},
    {"history_unknown", "GET", "/api/sensors/nope/history", 404, error},
    {"route_unknown", "GET", "/api/nope", 404, error},
    {"route_root", "GET", "/api", 404, error},
    {"route_too_deep", "GET", "/api/sensors/a/history/more", 404, error},
    {"route_long_echo", "GET", "/api/" + std::string(3000, '\xC3'), 404, error},
    {"history_limit_zero", "GET", "/api/sensors/door/history?limit=0", 400, error},
    {"history_limit_text", "GET", "/api/sensors/door/history?limit=ten", 400, error},
    {"history_limit_malformed", "GET", "/api/sensors/door/history?limit=%G1", 400, error},
    {"prefix_malformed", "GET", "/api/sensors?prefix=%", 400, error},
    {"post", "POST", "/api/sensors", 405, error},
    {"delete", "DELETE", "/api/sensors/door", 405, error},
    {"put_health", "PUT", "/api/health", 405, error},
};

class rest_schema_test : public ::testing::TestWithParam<rest_case> {
protected:
    void SetUp() override {
        for (reading r : {make_reading("kitchen.temp", 21.5, "\xC2\xB0" "C"),
                          make_reading("kitchen.humidity", 40.0, "%"),
                          make_reading("door", true), make_reading("mode", "eco"s),
                          make_reading("meter", 1234.0, std::string(128, 'k'))}) {
            cache_.update(std::move(r), nullptr);
        }
        stats_.ingest = {10, 7, 3, {{"bad_id", 1}, {"invalid_json", 2}}};
        stats_.ws = {2, 3, 100, 1};
        stats_.store = {5, 4, 20, 1, 2};
        health_ = {true, true};
        health_.instance = "0123456789abcdef0123456789abcdef";
    }

    sensor_registry cache_;
    stats_snapshot stats_;
    health_snapshot health_;
};

TEST_P(rest_schema_test, body_conforms) {
    const rest_case& c = GetParam();
    const auto reply = route_rest({c.method, c.target}, rest_context{cache_, stats_, health_});
    ASSERT_TRUE(reply.has_value());
    EXPECT_EQ(reply->status, c.status);
    EXPECT_EQ(reply->content_type, "application/json");
    EXPECT_TRUE(conforms(c.schema, reply->body));
}

INSTANTIATE_TEST_SUITE_P(schemas, rest_schema_test, ::testing::ValuesIn(rest_cases),
                         case_name<rest_case>);

TEST_F(rest_schema_test, health_in_every_state_conforms) {
    for (const bool mqtt : {true, false}) {
        for (const bool db : {true, false}) {
            health_.mqtt_connected = mqtt;
            health_.db_ok = db;
            const auto reply =
                route_rest({"GET", "/api/health"}, rest_context{cache_, stats_, health_});
            ASSERT_TRUE(reply.has_value());
            EXPECT_EQ(reply->status, mqtt && db ? 200 : 503);
            EXPECT_TRUE(conforms("rest-health.schema.json", reply->body));
        }
    }
}

TEST_F(rest_schema_test, stats_empty_and_full_conform) {
    stats_ = {};
    rest_context ctx{cache_, stats_, health_};
    EXPECT_TRUE(conforms("rest-stats.schema.json", route_rest({"GET", "/api/stats"}, ctx)->body));
    for (const char* reason : {"invalid_json", "too_large", "too_deep", "bad_id", "non_finite",
                               "bad_string", "no_value", "too_many_sensors", "queue_full"}) {
        stats_.ingest.rejected_by_reason[reason] = UINT64_MAX;
    }
    stats_.store.unpersisted = UINT64_MAX;
    EXPECT_TRUE(conforms("rest-stats.schema.json", route_rest({"GET", "/api/stats"}, ctx)->body));
}

TEST_F(rest_schema_test, empty_cache_lists_conform) {
    sensor_registry empty;
    rest_context ctx{empty, stats_, health_};
    EXPECT_TRUE(conforms(sensors, route_rest({"GET", "/api/sensors"}, ctx)->body));
}

}  // namespace
}  // namespace sb::test
