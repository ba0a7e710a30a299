// REST (docs/PROTOCOL.md §6) over real HTTP: latest readings, prefix filter, 404, health and stats.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

using rest = bridge_test;

std::vector<std::string> ids_of(const json_doc& array) {
    std::vector<std::string> ids;
    for (std::size_t i = 0; i < array.size(""); ++i) {
        const std::string pointer = "/" + std::to_string(i) + "/sensorId";
        ids.push_back(array.str(pointer.c_str()).value_or("<no sensorId>"));
    }
    return ids;
}

class rest_with_readings : public rest {
protected:
    void SetUp() override {
        rest::SetUp();
        if (HasFatalFailure()) return;
        // Published out of order: the list must come back sorted by id.
        publish("sensors/room2/temp", R"({"value":19,"unit":"°C"})");
        publish("sensors/room1/temp", R"({"value":21.5,"unit":"°C","timestamp":1795000000123})");
        publish("sensors/room1/hum", "40");
        publish("sensors/room1/temp", R"({"value":22,"unit":"°C","timestamp":1795000000456})");
        ASSERT_TRUE(wait_for_seq("room1.temp", 2));
        ASSERT_TRUE(wait_for_seq("room1.hum", 1));
        ASSERT_TRUE(wait_for_seq("room2.temp", 1));
    }
};

TEST_F(rest_with_readings, list_is_sorted_by_id) {
    const http_response r = get("/api/sensors");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    const json_doc d(r.body);
    ASSERT_TRUE(d.is_array("")) << r.body;
    EXPECT_EQ(ids_of(d), (std::vector<std::string>{"room1.hum", "room1.temp", "room2.temp"})) << r.body;
}

TEST_F(rest_with_readings, prefix_filters_the_list) {
    const json_doc d = get_json("/api/sensors?prefix=room1.");
    ASSERT_TRUE(d.is_array("")) << d.text();
    EXPECT_EQ(ids_of(d), (std::vector<std::string>{"room1.hum", "room1.temp"})) << d.text();
    EXPECT_EQ(get_json("/api/sensors?prefix=nothing-here").size(""), 0u);
}

TEST_F(rest_with_readings, one_sensor_has_every_reading_field) {
    const http_response r = get("/api/sensors/room1.temp");
    ASSERT_EQ(r.status, 200) << r.body;
    const json_doc d(r.body);
    EXPECT_EQ(d.str("/sensorId"), "room1.temp");
    EXPECT_EQ(d.number("/value"), 22.0);
    EXPECT_EQ(d.str("/unit"), "°C");
    EXPECT_EQ(d.uint("/timestamp"), 1795000000456u) << "timestamp must be the payload's";
    EXPECT_TRUE(d.uint("/receivedAt").has_value()) << r.body;
    EXPECT_EQ(d.uint("/seq"), 2u);
    EXPECT_EQ(d.str("/topic"), "sensors/room1/temp");
}

TEST_F(rest_with_readings, unknown_sensor_is_a_json_404) {
    const http_response r = get("/api/sensors/no-such-sensor");
    EXPECT_EQ(r.status, 404);
    EXPECT_NE(r.header("content-type").find("application/json"), std::string::npos);
    const json_doc d(r.body);
    EXPECT_EQ(d.str("/error/code"), "NOT_FOUND") << r.body;
    EXPECT_TRUE(d.str("/error/message").has_value()) << r.body;
}

TEST_F(rest, latest_is_the_last_received_even_with_an_older_timestamp) {
    publish("sensors/clock-1", R"({"value":1,"timestamp":1795000009000})");
    publish("sensors/clock-1", R"({"value":2,"timestamp":1795000001000})");  // sensor clock reset
    ASSERT_TRUE(wait_for_seq("clock-1", 2));
    const json_doc d = get_json("/api/sensors/clock-1");
    EXPECT_EQ(d.number("/value"), 2.0) << d.text();
    EXPECT_EQ(d.uint("/timestamp"), 1795000001000u) << d.text();
}

TEST_F(rest, history_lists_recent_readings_oldest_first) {
    for (const char* v : {"1", "2", "3"}) publish("sensors/hist-1", v);
    ASSERT_TRUE(wait_for_seq("hist-1", 3));
    const http_response r = get("/api/sensors/hist-1/history?limit=10");
    ASSERT_EQ(r.status, 200) << r.body;
    const json_doc d(r.body);
    ASSERT_TRUE(d.is_array("")) << r.body;
    ASSERT_EQ(d.size(""), 3u) << "three readings were published: " << r.body;
    EXPECT_EQ(d.uint("/0/seq"), 1u) << r.body;
    EXPECT_EQ(d.uint("/2/seq"), 3u) << r.body;
    const json_doc last_two(get("/api/sensors/hist-1/history?limit=2").body);
    ASSERT_EQ(last_two.size(""), 2u) << last_two.text();
    EXPECT_EQ(last_two.uint("/0/seq"), 2u) << last_two.text();
    EXPECT_EQ(get("/api/sensors/nobody/history").status, 404);
}

TEST_F(rest, metrics_are_prometheus_text) {
    publish("sensors/m-1", "1");
    ASSERT_TRUE(wait_for_seq("m-1", 1));
    const http_response r = get("/metrics");
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
    EXPECT_EQ(r.header("content-type").rfind("text/plain", 0), 0u) << r.header("content-type");
    EXPECT_NE(r.body.find("# TYPE "), std::string::npos) << r.body.substr(0, 300);
}

TEST_F(rest, head_and_other_methods) {
    const http_response head = http_request(port(), "HEAD", "/api/health");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    const http_response post = http_request(port(), "POST", "/api/sensors", {{"Content-Length", "0"}});
    EXPECT_EQ(post.status, 405);
    EXPECT_EQ(json_doc(post.body).str("/error/code"), "METHOD_NOT_ALLOWED") << post.body;
}

TEST_F(rest, health_reports_mqtt_connected) {
    const http_response r = get("/api/health");
    EXPECT_EQ(r.status, 200);
    const json_doc d(r.body);
    EXPECT_EQ(d.str("/status"), "ok") << r.body;
    EXPECT_EQ(d.str("/mqtt"), "connected") << r.body;
    EXPECT_TRUE(d.has("/db")) << r.body;
}

TEST_F(rest, stats_have_the_contract_fields_and_counts_move) {
    const json_doc before = stats();
    for (const char* p : {"/ingest/received", "/ingest/accepted", "/ingest/rejected", "/ws/connections",
                          "/ws/subscriptions", "/ws/sent", "/ws/dropped", "/store/sensors", "/store/commits"}) {
        EXPECT_TRUE(before.uint(p).has_value()) << p << " missing in " << before.text();
    }
    EXPECT_TRUE(before.is_object("/ingest/rejectedByReason")) << before.text();
    EXPECT_EQ(before.uint("/ingest/accepted"), 0u);

    auto c = connect_client();
    subscribe(*c, "sensor:*");
    publish("sensors/st-1", "1");
    publish("sensors/st-2", "2");
    publish("sensors/st-3", R"({"sensorId":"st-3","value":)");
    publish("sensors/st-1", "3");
    ASSERT_TRUE(wait_for_seq("st-1", 2));
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "st-1"); }, 2000ms));

    const json_doc s = stats();
    EXPECT_EQ(s.uint("/ingest/received"), 4u) << s.text();
    EXPECT_EQ(s.uint("/ingest/accepted"), 3u) << s.text();
    EXPECT_EQ(s.uint("/ingest/rejected"), 1u) << s.text();
    EXPECT_EQ(s.uint("/ingest/rejectedByReason/invalid_json"), 1u) << s.text();
    EXPECT_EQ(s.uint("/ws/connections"), 1u) << s.text();
    EXPECT_EQ(s.uint("/ws/subscriptions"), 1u) << s.text();
    EXPECT_GE(s.uint("/ws/sent").value_or(0), 3u) << s.text();
    // The store commits in batches on its own thread: wait for it.
    EXPECT_TRUE(wait_until(
        [&] {
            const json_doc now = stats();
            return now.uint("/store/sensors") == 2u && now.uint("/store/commits").value_or(0) > 0;
        },
        3000ms))
        << stats().text();
}

}  // namespace
}  // namespace sb_it
