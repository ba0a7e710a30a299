// Issue 4, "Schemas": everything the running bridge actually emits — every WebSocket frame a
// client receives and every REST body — validated against schemas/ with RapidJSON's validator.
#include <gtest/gtest.h>

#include <algorithm>
#include <deque>
#include <string>
#include <vector>

#include "schema_set.hpp"
#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

sb::test::schema_set& schemas() {
    static sb::test::schema_set set(SB_SCHEMA_DIR);
    return set;
}

::testing::AssertionResult conforms(const std::string& ref, const std::string& json) {
    const auto r = schemas().validate(ref, json);
    if (r.valid) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << ref << ": " << r.error << "\n  json: " << json;
}

using wire_schema = bridge_test;

TEST_F(wire_schema, every_frame_a_client_receives_conforms) {
    auto c = connect_client();  // the `connected` frame is validated by the harness's parser only
    c->send(subscribe_json("sensor:*", "all"));
    c->send(subscribe_json("sensor:schema.*", "prefix"));
    c->send(unsubscribe_json("sensor:schema.*", "un"));
    for (const char* bad : {"not json", R"({"type":"nope","id":"x"})", R"({"type":"subscribe","payload":{"room":"bad room"}})",
                            R"({"type":"ping","id":"p1"})"}) {
        c->send(bad);
    }
    publish("sensors/schema-num", R"({"sensorId":"schema-num","value":21.5,"unit":"°C","timestamp":1795000000123})");
    publish("sensors/schema-bool", "true");
    publish("sensors/schema-str", "\"open\"");
    publish("sensors/schema", R"([{"bn":"schema:","n":"t","u":"Cel","v":1.5},{"n":"b","vb":false}])");
    publish("sensors/schema-multi", R"({"temperature":20,"humidity":40.5})");
    publish("sensors/schema-num/status", "offline");
    publish("sensors/schema-last", "1");

    std::deque<std::string> frames;
    const auto last = c->wait_for([](const std::string& f) { return is_reading_of(f, "schema-last"); }, 5000ms, frames);
    ASSERT_TRUE(last) << "the last reading never arrived";
    frames.push_back(*last);
    std::vector<std::string> types;
    for (const auto& f : frames) {
        EXPECT_TRUE(conforms("ws-server-message.schema.json", f));
        types.push_back(json_doc(f).str("/type").value_or("?"));
    }
    for (const char* type : {"subscribed", "unsubscribed", "error", "pong", "sensor.reading", "sensor.status"}) {
        EXPECT_NE(std::find(types.begin(), types.end(), type), types.end()) << "no " << type << " frame was checked";
    }
}

struct rest_case {
    const char* target;
    int status;
    const char* schema;
};

TEST_F(wire_schema, every_rest_body_conforms) {
    publish("sensors/schema-rest", R"({"value":3,"unit":"W"})");
    publish("sensors/schema-rest", R"({"value":4,"unit":"W"})");
    ASSERT_TRUE(wait_for_seq("schema-rest", 2));
    publish("sensors/schema-rest", "NaN");  // a rejection, so rejectedByReason is not empty
    const rest_case cases[] = {
        {"/api/sensors", 200, "rest-sensors.schema.json"},
        {"/api/sensors?prefix=schema", 200, "rest-sensors.schema.json"},
        {"/api/sensors/schema-rest", 200, "sensor-reading.schema.json"},
        {"/api/sensors/schema-rest/history?limit=5", 200, "rest-history.schema.json"},
        {"/api/sensors/nope", 404, "rest-error.schema.json"},
        {"/api/sensors/schema-rest/history?limit=0", 400, "rest-error.schema.json"},
        {"/api/nothing", 404, "rest-error.schema.json"},
        {"/api/health", 200, "rest-health.schema.json"},
        {"/api/stats", 200, "rest-stats.schema.json"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.target);
        const http_response r = get(c.target);
        EXPECT_EQ(r.status, c.status) << r.body;
        EXPECT_TRUE(conforms(c.schema, r.body));
    }
    const http_response post = http_request(port(), "POST", "/api/sensors", {{"Content-Length", "0"}});
    EXPECT_EQ(post.status, 405);
    EXPECT_TRUE(conforms("rest-error.schema.json", post.body));
}

}  // namespace
}  // namespace sb_it
