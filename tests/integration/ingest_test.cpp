// Ingest (docs/CONVENTIONS.md): topic-derived ids, accepted payload shapes, and rejected payloads
// that are counted, never delivered, and never stop the pipeline.
#include <gtest/gtest.h>

#include <signal.h>

#include <deque>
#include <map>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

class ingest : public bridge_test {
protected:
    virtual bool paho() const { return false; }
    void bad_payloads_are_counted_not_delivered();
};

// The same bad payloads through the Paho client (--mqtt-client paho, the one for ssl://
// brokers): both clients hand the normalizer the same bytes.
class ingest_paho : public ingest {
protected:
    bool paho() const override { return true; }
    std::vector<std::string> bridge_args() const override { return {"--mqtt-client", "paho"}; }
};

auto reading_of(const std::string& id) {
    return [id](const std::string& f) { return is_reading_of(f, id); };
}

struct accepted_case {
    const char* name;
    const char* topic;
    std::string payload;
    const char* sensor_id;
    std::string value_json;  // the expected payload.value, as JSON text
};

std::string value_as_json(const json_doc& d) {
    if (auto n = d.number("/payload/value")) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%g", *n);
        return buf;
    }
    if (auto b = d.boolean("/payload/value")) return *b ? "true" : "false";
    if (auto s = d.str("/payload/value")) return "\"" + *s + "\"";
    return "<missing>";
}

TEST_F(ingest, payload_shapes_and_topic_ids_become_readings) {
    const std::vector<accepted_case> cases{
        {"bare number", "sensors/bare-1", "22.25", "bare-1", "22.25"},
        {"bare number, id from two wildcard levels", "sensors/kitchen/temperature", "19.5", "kitchen.temperature",
         "19.5"},
        {"bare boolean", "sensors/door-1", "true", "door-1", "true"},
        {"bare JSON string", "sensors/door-2", R"("open")", "door-2", R"("open")"},
        {"canonical without sensorId takes the topic id", "sensors/hall/co2", R"({"value":612,"unit":"ppm"})",
         "hall.co2", "612"},
        {"the payload's own sensorId wins over the topic", "sensors/somewhere",
         R"({"sensorId":"own-id","value":-3.5})", "own-id", "-3.5"},
        {"SenML record with a base name", "sensors/senml", R"([{"bn":"dev7:","n":"temp","v":21.5,"u":"Cel"}])",
         "dev7:temp", "21.5"},
    };
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.name);
        publish(tc.topic, tc.payload);
        const auto frame = c->wait_for(reading_of(tc.sensor_id), 3000ms);
        ASSERT_TRUE(frame) << "no reading for " << tc.sensor_id << " from " << tc.topic << " payload " << tc.payload;
        const json_doc d(*frame);
        EXPECT_EQ(value_as_json(d), tc.value_json) << *frame;
        EXPECT_EQ(d.str("/payload/topic"), tc.topic) << *frame;
        EXPECT_EQ(d.uint("/payload/seq"), 1u) << *frame;
    }
}

TEST_F(ingest, multi_metric_object_becomes_one_reading_per_metric) {
    auto c = connect_client();
    subscribe(*c, "sensor:porch.*");
    publish("sensors/porch", R"({"temperature":21.5,"humidity":40})");
    const auto t = c->wait_for(reading_of("porch.temperature"), 3000ms);
    ASSERT_TRUE(t) << "no porch.temperature";
    EXPECT_EQ(json_doc(*t).number("/payload/value"), 21.5);
    ASSERT_TRUE(wait_for_seq("porch.humidity", 1)) << "REST has no porch.humidity";
    EXPECT_EQ(get_json("/api/sensors/porch.humidity").number("/value"), 40.0);
}

struct timestamp_case {
    const char* name;
    std::string payload;
    const char* sensor_id;
    std::uint64_t timestamp;
};

TEST_F(ingest, timestamps_in_ms_s_and_iso8601_become_epoch_ms) {
    const std::vector<timestamp_case> cases{
        {"ms epoch in timestamp", R"({"sensorId":"ts-ms","value":1,"timestamp":1795000000123})", "ts-ms",
         1795000000123u},
        {"s epoch in ts", R"({"sensorId":"ts-s","value":1,"ts":1795000000})", "ts-s", 1795000000000u},
        {"ISO-8601 Z in time", R"({"sensorId":"ts-iso","value":1,"time":"2026-11-22T10:00:00Z"})", "ts-iso",
         1795341600000u},
        {"ISO-8601 with offset and fraction",
         R"({"sensorId":"ts-off","value":1,"timestamp":"2026-11-22T12:00:00.250+02:00"})", "ts-off",
         1795341600250u},
    };
    for (const auto& tc : cases) publish("sensors/ts", tc.payload);
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.name);
        ASSERT_TRUE(wait_for_seq(tc.sensor_id, 1)) << "not accepted: " << tc.payload << "\n" << stats().text();
        EXPECT_EQ(get_json("/api/sensors/" + std::string(tc.sensor_id)).uint("/timestamp"), tc.timestamp);
    }
    publish("sensors/ts-none", "5");
    ASSERT_TRUE(wait_for_seq("ts-none", 1));
    const json_doc none = get_json("/api/sensors/ts-none");
    EXPECT_EQ(none.uint("/timestamp"), none.uint("/receivedAt")) << "no timestamp: the receive time. " << none.text();
}

TEST_F(ingest, status_topics_set_online_state_instead_of_a_value) {
    auto c = connect_client();
    subscribe(*c, "sensor:dev-1");
    publish("sensors/dev-1", "20");
    ASSERT_TRUE(c->wait_for(reading_of("dev-1"), 3000ms));

    for (const char* state : {"offline", "online"}) {
        SCOPED_TRACE(state);
        publish("sensors/dev-1/status", state);
        const auto f = c->wait_for([](const std::string& x) { return is_frame_type(x, "sensor.status"); }, 3000ms);
        ASSERT_TRUE(f) << "no sensor.status frame";
        const json_doc d(*f);
        EXPECT_EQ(d.str("/payload/sensorId"), "dev-1") << *f;
        EXPECT_EQ(d.str("/payload/status"), state) << *f;
        EXPECT_TRUE(d.uint("/payload/since").has_value()) << *f;
    }
    EXPECT_EQ(get("/api/sensors/dev-1.status").status, 404) << "a status message became a reading";
    EXPECT_EQ(get_json("/api/sensors/dev-1").number("/value"), 20.0);
}

class ingest_extra_filter : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--topic", "sensors/#", "--topic", "zigbee2mqtt/+"};
    }
};

TEST_F(ingest_extra_filter, ids_come_from_the_matching_filter_wildcards) {
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    publish("zigbee2mqtt/porch/deeper", "1");  // not matched by zigbee2mqtt/+
    publish("zigbee2mqtt/porch", "18.5");
    publish("sensors/attic/temp", "12");

    std::deque<std::string> before;
    const auto porch = c->wait_for(reading_of("porch"), 3000ms, before);
    ASSERT_TRUE(porch) << "zigbee2mqtt/porch did not become sensor porch";
    EXPECT_EQ(json_doc(*porch).number("/payload/value"), 18.5);
    EXPECT_EQ(json_doc(*porch).str("/payload/topic"), "zigbee2mqtt/porch");
    for (const auto& f : before) ADD_FAILURE() << "unexpected frame before porch: " << f;
    EXPECT_TRUE(c->wait_for(reading_of("attic.temp"), 3000ms)) << "the first --topic stopped working";
    EXPECT_EQ(stats().uint("/ingest/received"), 2u) << stats().text();
}

struct rejected_case {
    const char* name;
    std::string payload;
    const char* reason;
};

std::vector<rejected_case> bad_payloads() {
    std::string oversized = R"({"sensorId":"big","value":1,"pad":")" + std::string(70 * 1024, 'x') + "\"}";
    return {
        {"truncated JSON", R"({"sensorId":"bad-1","value":2)", "invalid_json"},
        {"empty payload", "", "invalid_json"},
        {"NaN", "NaN", "non_finite"},
        {"1e999", "1e999", "non_finite"},
        {"100000 nested [ (over 64 KiB)", std::string(100000, '['), "too_large"},
        {"60000 nested [ (under 64 KiB)", std::string(60000, '['), "too_deep"},
        {"oversized canonical payload", oversized, "too_large"},
        {"sensorId with a star", R"({"sensorId":"bad*id","value":1})", "bad_id"},
        {"string value over 128 bytes", R"({"sensorId":"s-long","value":")" + std::string(200, 'a') + "\"}",
         "bad_string"},
        {"string value not UTF-8", "{\"sensorId\":\"s-utf\",\"value\":\"\xff\xfe\"}", "bad_string"},
        {"no value", R"({"sensorId":"s-none"})", "no_value"},
    };
}

TEST_F(ingest, bad_payloads_are_counted_not_delivered_and_do_not_stop_the_pipeline) {
    bad_payloads_are_counted_not_delivered();
}

TEST_F(ingest_paho, bad_payloads_are_counted_not_delivered_and_do_not_stop_the_pipeline) {
    bad_payloads_are_counted_not_delivered();
}

void ingest::bad_payloads_are_counted_not_delivered() {
    ASSERT_EQ(bridge_->runs_paho(), paho()) << "not the MQTT client under test";
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    std::map<std::string, std::uint64_t> expected;
    const auto cases = bad_payloads();
    for (std::size_t i = 0; i < cases.size(); ++i) {
        publish("sensors/bad-" + std::to_string(i), cases[i].payload);
        ++expected[cases[i].reason];
    }
    publish("sensors/good-after", R"({"sensorId":"good-after","value":1.25})");

    std::deque<std::string> before;
    const auto good = c->wait_for(reading_of("good-after"), 5000ms, before);
    ASSERT_TRUE(good) << "a good reading after the bad ones was not delivered: the pipeline stopped";
    for (const auto& f : before) ADD_FAILURE() << "delivered from a bad payload: " << f.substr(0, 300);

    const json_doc s = stats();
    ASSERT_TRUE(s.ok());
    for (const auto& tc : cases) {
        SCOPED_TRACE(tc.name);
        const std::string pointer = std::string("/ingest/rejectedByReason/") + tc.reason;
        EXPECT_EQ(s.uint(pointer.c_str()).value_or(0), expected[tc.reason]) << s.text();
    }
    EXPECT_EQ(s.uint("/ingest/rejected"), cases.size()) << s.text();
    EXPECT_EQ(s.uint("/ingest/accepted"), 1u) << s.text();
    EXPECT_EQ(s.uint("/ingest/received"), cases.size() + 1) << s.text();
    EXPECT_EQ(get("/api/sensors/bad-0").status, 404);
    EXPECT_TRUE(bridge_->running()) << "the bridge died on a bad payload";
    EXPECT_EQ(::kill(bridge_->pid(), 0), 0);
}

}  // namespace
}  // namespace sb_it
