// Resume, history and status on the wire (issue 5) against the schemas: the gap frame, stale
// status frames, a subscribe with since, REST readings with their status and history pages.
#include <string>
#include <variant>

#include <gtest/gtest.h>

#include "http/rest_router.hpp"
#include "schema_fixtures.hpp"
#include "state/sensor_registry.hpp"
#include "wire/client_message.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb::test {
namespace {

TEST(resume_schema_test, gap_and_status_frames_conform) {
    const reading r = make_reading("temp-1", 21.5, "°C");
    EXPECT_TRUE(conforms("ws-server-message.schema.json#/definitions/reading", reading_message_json(r, true)));
    EXPECT_TRUE(conforms("ws-server-message.schema.json", status_json("temp-1", "stale", 1795000000000)));
    EXPECT_TRUE(violates("sensor-reading.schema.json", R"({"sensorId":"a","value":1,"timestamp":1,"receivedAt":1,)"
                                                       R"("seq":1,"gap":false})", "enum"))
        << "gap is only ever true";
}

TEST(resume_schema_test, subscribe_with_since_conforms_and_parses) {
    for (const char* json : {R"({"type":"subscribe","id":"r","payload":{"room":"sensor:temp-1","since":42}})",
                             R"({"type":"subscribe","payload":{"room":"sensor:temp-1","since":0}})"}) {
        EXPECT_TRUE(conforms("ws-client-message.schema.json", json));
        EXPECT_TRUE(std::holds_alternative<client_message>(parse_client_message(json))) << json;
    }
    EXPECT_TRUE(violates("ws-client-message.schema.json",
                         R"({"type":"subscribe","payload":{"room":"sensor:temp-1","since":-1}})"));
}

TEST(resume_schema_test, rest_readings_with_status_and_history_pages_conform) {
    sensor_registry cache(10, 8);
    for (std::uint64_t seq = 1; seq <= 5; ++seq) {
        reading r = make_reading("temp-1", static_cast<double>(seq), "°C");
        r.seq = seq;
        cache.update(std::move(r), nullptr);
    }
    cache.status().on_reading("temp-1", 1000);
    std::vector<status_change> changes;
    cache.status().scan(1000 + 60000, changes);
    const stats_snapshot stats;
    const health_snapshot health;
    const rest_context ctx{cache, stats, health};
    auto body = [&](const char* target) { return route_rest(http_request{"GET", target}, ctx)->body; };
    EXPECT_TRUE(conforms("rest-sensors.schema.json", body("/api/sensors")));
    EXPECT_NE(body("/api/sensors").find(R"("status":"stale")"), std::string::npos);
    EXPECT_TRUE(conforms("sensor-reading.schema.json", body("/api/sensors/temp-1")));
    EXPECT_TRUE(conforms("rest-history.schema.json", body("/api/sensors/temp-1/history?since=2&limit=2")));
}

}  // namespace
}  // namespace sb::test
