// Broken documents the schemas must reject, so that the conformance tests can fail: RapidJSON
// silently ignores what it does not understand (an unresolved $ref, an unsupported pattern, a
// draft-06+ keyword), and such a schema accepts everything.
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "schema_fixtures.hpp"

namespace sb::test {
namespace {

struct broken_case {
    std::string name;
    std::string schema;
    std::string json;
    std::string keyword;  // the keyword that must fail; "" when nested under oneOf/$ref
};

void PrintTo(const broken_case& c, std::ostream* os) { *os << c.name; }

// base with the first `from` replaced; a missing `from` yields non-JSON, which fails the test.
std::string edit(const std::string& base, const std::string& from, const std::string& to) {
    const std::size_t at = base.find(from);
    if (at == std::string::npos) return "edit target not found: " + from;
    return base.substr(0, at) + to + base.substr(at + from.size());
}

const std::string reading_json =
    R"({"sensorId":"temp-1","value":25.5,"unit":"°C","timestamp":1795000000123,)"
    R"("receivedAt":1795000000130,"seq":42,"topic":"sensors/temp-1"})";
const std::string stats_json =
    R"({"ingest":{"received":1,"accepted":1,"duplicates":0,"retainedSkipped":0,"ignored":0,"discovered":0,"partlyRefused":0,"rejected":0,)"
    R"("rejectedByReason":{"bad_id":0},)"
    R"("deadLettered":0,"deadLetterFailed":0},)"
    R"("ws":{"connections":0,"subscriptions":0,"sent":0,"dropped":0},)"
    R"("store":{"sensors":0,"commits":0,"written":0,"failed":0,"unpersisted":0}})";
const std::string health_json =
    R"({"status":"ok","mqtt":"connected","broker":"tcp://127.0.0.1:1883","db":"ok","version":"0.1.0",)"
    R"("instance":"0123456789abcdef0123456789abcdef","authRequired":false})";
const std::string rest_error_json = R"({"error":{"code":"NOT_FOUND","message":"no sensor 'x'"}})";

// A connected frame with this instance and the rest of its payload after it.
std::string connected(const std::string& instance, const std::string& rest) {
    return R"({"type":"connected","payload":{"version":"1","instance":")" + instance + "\"" + rest + "}}";
}

std::string items(int n) {
    std::string out = "[";
    for (int i = 0; i < n; ++i) out += (i ? "," : "") + reading_json;
    return out + "]";
}

const char* const reading = "sensor-reading.schema.json";
const char* const server = "ws-server-message.schema.json";
const char* const client = "ws-client-message.schema.json";
const char* const sensors = "rest-sensors.schema.json";
const char* const history = "rest-history.schema.json";
const char* const error = "rest-error.schema.json";
const char* const health = "rest-health.schema.json";
const char* const stats = "rest-stats.schema.json";

std::vector<broken_case> broken_cases() {
    const std::string& r = reading_json;
    const std::string& e = rest_error_json;
    const std::string& h = health_json;
    const std::string& st = stats_json;
    const std::string frame = R"({"type":"sensor.reading","payload":)" + r + "}";
    return {
        // The reading: strict in every field (docs/PROTOCOL.md §1).
        {"value_null", reading, edit(r, "25.5", "null"), "type"},
        {"value_object", reading, edit(r, "25.5", R"({"v":1})"), "type"},
        {"value_array", reading, edit(r, "25.5", "[1]"), "type"},
        {"value_string_129", reading, edit(r, "25.5", '"' + std::string(129, 'x') + '"'),
         "maxLength"},
        {"extra_field", reading, edit(r, R"("seq":42)", R"("seq":42,"extra":1)"),
         "additionalProperties"},
        {"missing_value", reading, edit(r, R"("value":25.5,)", ""), "required"},
        {"missing_sensor_id", reading, edit(r, R"("sensorId":"temp-1",)", ""), "required"},
        {"missing_timestamp", reading, edit(r, R"("timestamp":1795000000123,)", ""), "required"},
        {"missing_received_at", reading, edit(r, R"("receivedAt":1795000000130,)", ""), "required"},
        {"missing_seq", reading, edit(r, R"("seq":42,)", ""), "required"},
        {"id_star", reading, edit(r, "temp-1\"", "temp*\""), "pattern"},
        {"id_tab", reading, edit(r, "temp-1\"", "a\\tb\""), "pattern"},
        {"id_empty", reading, edit(r, "\"temp-1\"", "\"\""), "pattern"},
        {"id_129", reading, edit(r, "temp-1\"", std::string(129, 'a') + '"'), "pattern"},
        {"id_trailing_newline", reading, edit(r, "temp-1\"", "temp-1\\n\""), "pattern"},
        {"id_del", reading, edit(r, "\"temp-1\"", "\"temp\\u007f\""), "pattern"},
        {"id_number", reading, edit(r, "\"temp-1\"", "5"), "type"},
        {"seq_fraction", reading, edit(r, R"("seq":42)", R"("seq":1.5)"), "type"},
        {"seq_negative", reading, edit(r, R"("seq":42)", R"("seq":-1)"), "minimum"},
        {"timestamp_string", reading, edit(r, "1795000000123", "\"2026-11-18\""), "type"},
        {"timestamp_fraction", reading, edit(r, "1795000000123", "1795000000123.5"), "type"},
        {"received_at_negative", reading, edit(r, "1795000000130", "-1"), "minimum"},
        {"unit_number", reading, edit(r, "\"°C\"", "1"), "type"},
        {"unit_129", reading, edit(r, "\"°C\"", '"' + std::string(129, 'u') + '"'), "maxLength"},
        {"topic_number", reading, edit(r, "\"sensors/temp-1\"", "1"), "type"},
        {"reading_array", reading, "[]", "type"},
        // Server frames: the reading branch proves the cross-file $ref is resolved.
        {"frame_value_null", server, edit(frame, "25.5", "null"), ""},
        {"frame_value_null_branch", std::string(server) + "#/definitions/reading",
         edit(frame, "25.5", "null"), ""},
        {"frame_extra_field", server, edit(frame, R"("seq":42)", R"("seq":42,"x":1)"), ""},
        {"frame_unknown_type", server, R"({"type":"hello"})", "oneOf"},
        {"frame_no_type", server, R"({"payload":{}})", "oneOf"},
        {"error_unknown_code", server,
         R"({"type":"error","payload":{"code":"NOPE","message":""}})", ""},
        {"error_no_message", server, R"({"type":"error","payload":{"code":"BAD_JSON"}})", ""},
        {"connected_no_heartbeat", server, connected("0123456789abcdef0123456789abcdef", ""), ""},
        {"connected_heartbeat_zero", server, connected("0123456789abcdef0123456789abcdef", R"(,"heartbeatMs":0)"), ""},
        {"connected_no_instance", server, R"({"type":"connected","payload":{"version":"1","heartbeatMs":1}})", ""},
        {"connected_instance_upper_case", server, connected("0123456789ABCDEF0123456789ABCDEF", R"(,"heartbeatMs":1)"),
         ""},
        {"connected_instance_short", server, connected("0123456789abcdef", R"(,"heartbeatMs":1)"), ""},
        {"status_unknown", server,
         R"({"type":"sensor.status","payload":{"sensorId":"a","status":"asleep","since":1}})", ""},
        {"status_bad_id", server,
         R"({"type":"sensor.status","payload":{"sensorId":"a*","status":"online","since":1}})", ""},
        {"ack_no_room", server, R"({"type":"subscribed","payload":{}})", ""},
        {"pong_id_65", server, R"({"type":"pong","id":")" + std::string(65, 'i') + "\"}", ""},
        // Client messages.
        {"client_room_without_scheme", client,
         R"({"type":"subscribe","payload":{"room":"kitchen"}})", ""},
        {"client_unknown_type", client, R"({"type":"shout"})", ""},
        {"client_extra_field", client, R"({"type":"ping","x":1})", ""},
        {"client_no_payload", client, R"({"type":"subscribe"})", ""},
        {"client_id_65", client, R"({"type":"ping","id":")" + std::string(65, 'i') + "\"}", ""},
        // REST bodies.
        {"sensors_bad_item", sensors, "[" + edit(r, "25.5", "null") + "]", ""},
        {"sensors_not_array", sensors, r, "type"},
        {"history_bad_item", history, "[" + edit(r, R"("seq":42)", R"("seq":"42")") + "]", ""},
        {"history_1001", history, items(1001), "maxItems"},
        {"error_missing_message", error, R"({"error":{"code":"NOT_FOUND"}})", "required"},
        {"error_lower_case_code", error, edit(e, "NOT_FOUND", "not_found"), "pattern"},
        {"error_extra_top_level", error, edit(e, "}}", R"(},"status":404})"), "additionalProperties"},
        {"error_long_message", error, edit(e, "no sensor 'x'", std::string(513, 'm')), "maxLength"},
        {"health_unknown_status", health, edit(h, "\"ok\"", "\"fine\""), "enum"},
        {"health_missing_db", health, edit(h, R"("db":"ok",)", ""), "required"},
        {"health_missing_instance", health, edit(h, R"("instance":"0123456789abcdef0123456789abcdef",)", ""),
         "required"},
        {"health_instance_not_hex", health, edit(h, "0123456789abcdef", "0123456789abcdeg"), "pattern"},
        {"health_extra", health, edit(h, "{", R"({"uptime":1,)"), "additionalProperties"},
        {"stats_missing_unpersisted", stats, edit(st, R"(,"unpersisted":0)", ""), "required"},
        {"stats_missing_dead_lettered", stats, edit(st, R"("deadLettered":0,)", ""), "required"},
        {"stats_negative", stats, edit(st, R"("sent":0)", R"("sent":-1)"), "minimum"},
        {"stats_fraction", stats, edit(st, R"("sent":0)", R"("sent":0.5)"), "type"},
        {"stats_reason_negative", stats, edit(st, R"("bad_id":0)", R"("bad_id":-1)"), "minimum"},
        {"stats_reason_string", stats, edit(st, R"("bad_id":0)", R"("bad_id":"0")"), "type"},
        {"stats_extra_section", stats, edit(st, "{", R"({"mqtt":{},)"), "additionalProperties"},
    };
}

class schema_negative_test : public ::testing::TestWithParam<broken_case> {};

TEST_P(schema_negative_test, is_rejected) {
    const broken_case& c = GetParam();
    EXPECT_TRUE(violates(c.schema, c.json, c.keyword));
}

INSTANTIATE_TEST_SUITE_P(schemas, schema_negative_test, ::testing::ValuesIn(broken_cases()),
                         case_name<broken_case>);

// The unedited bases are valid, so each broken case fails for its edit alone.
TEST(schema_negative_base_test, bases_conform) {
    EXPECT_TRUE(conforms(reading, reading_json));
    EXPECT_TRUE(conforms("rest-stats.schema.json", stats_json));
    EXPECT_TRUE(conforms("rest-health.schema.json", health_json));
    EXPECT_TRUE(conforms("rest-error.schema.json", rest_error_json));
    EXPECT_TRUE(conforms("rest-history.schema.json", items(1000)));
    EXPECT_TRUE(conforms(server, R"({"type":"sensor.reading","payload":)" + reading_json + "}"));
}

}  // namespace
}  // namespace sb::test
