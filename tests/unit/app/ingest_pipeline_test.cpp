// The data path without sockets or SQLite: MQTT message in, then the registry, the hub's
// subscribers and the persistence sink each see what they should. The sink is a fake behind
// the reading_sink interface; the hub, registry and normalizer are the real ones.
#include "app/ingest_pipeline.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "hub/hub.hpp"
#include "hub/room.hpp"
#include "persist/reading_sink.hpp"
#include "state/sensor_registry.hpp"
#include "pipeline_fakes.hpp"

namespace sb {
namespace {

class ingest_pipeline_test : public ::testing::Test {
protected:
    explicit ingest_pipeline_test(std::size_t max_sensors = 100)
        : registry_(max_sensors, 16), pipeline_({}, {*topic_filter::parse("sensors/#")}, registry_, hub_, sink_,
                                                make_text_message) {
        client_ = std::make_shared<subscriber>();
        const auto id = hub_.connect(client_);
        hub_.subscribe(id, *room::parse("sensor:*"));
    }

    void receive(const std::string& topic, const std::string& payload) {
        mqtt_message m;
        m.topic = topic;
        m.payload = payload;
        m.received_at = 1795000000000;
        pipeline_.process(m);
    }

    hub hub_{8};
    sensor_registry registry_;
    fake_sink sink_;
    ingest_pipeline pipeline_;
    std::shared_ptr<subscriber> client_;
};

class ingest_pipeline_bounded_test : public ingest_pipeline_test {
protected:
    ingest_pipeline_bounded_test() : ingest_pipeline_test(1) {}
};

TEST_F(ingest_pipeline_test, a_reading_gets_a_seq_and_reaches_registry_subscribers_and_sink_as_one_message) {
    receive("sensors/temp-1", R"({"value":21.5,"unit":"C"})");
    receive("sensors/temp-1", "22");
    ASSERT_EQ(client_->got.size(), 2u);
    EXPECT_EQ(client_->got[0].sensor_id, "temp-1");
    EXPECT_EQ(client_->got[0].kind, message_kind::reading);
    EXPECT_NE(client_->got[0].text.find("\"seq\":1"), std::string::npos);
    EXPECT_NE(client_->got[1].text.find("\"seq\":2"), std::string::npos);
    ASSERT_EQ(sink_.calls.size(), 2u);
    EXPECT_EQ(sink_.calls[1].seq, 2u);
    EXPECT_EQ(sink_.calls[1].message, client_->got[1].text);  // serialized once, shared
    EXPECT_EQ(sink_.hints_given, 2);
    const auto* e = registry_.find("temp-1");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->latest.seq, 2u);
    EXPECT_EQ(e->message->text(), client_->got[1].text);
    EXPECT_EQ(pipeline_.stats().received, 2u);
    EXPECT_EQ(pipeline_.stats().accepted, 2u);
}

TEST_F(ingest_pipeline_test, a_multi_metric_message_gives_one_reading_per_metric) {
    receive("sensors/porch", R"({"temperature":21.5,"humidity":40})");
    ASSERT_EQ(client_->got.size(), 2u);
    EXPECT_NE(registry_.find("porch.temperature"), nullptr);
    EXPECT_NE(registry_.find("porch.humidity"), nullptr);
    EXPECT_EQ(pipeline_.stats().accepted, 1u);
}

TEST_F(ingest_pipeline_test, a_rejected_payload_is_counted_by_reason_and_dead_lettered_and_goes_nowhere_else) {
    std::vector<std::string> envelopes;
    pipeline_.set_dead_letter_sink([&](std::string e) {
        envelopes.push_back(std::move(e));
        return true;
    });
    receive("sensors/bad", "{not json");
    EXPECT_TRUE(client_->got.empty());
    EXPECT_TRUE(sink_.calls.empty());
    EXPECT_EQ(registry_.size(), 0u);
    EXPECT_EQ(pipeline_.stats().rejected, 1u);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("invalid_json"), 1u);
    ASSERT_EQ(envelopes.size(), 1u);
    EXPECT_NE(envelopes[0].find("\"reason\":\"invalid_json\""), std::string::npos);
    EXPECT_EQ(pipeline_.stats().dead_lettered, 1u);
}

TEST_F(ingest_pipeline_test, a_dead_letter_that_cannot_be_queued_is_counted_as_failed) {
    pipeline_.set_dead_letter_sink([](std::string) { return false; });
    receive("sensors/bad", "{not json");
    EXPECT_EQ(pipeline_.stats().dead_letter_failed, 1u);
    EXPECT_EQ(pipeline_.stats().dead_lettered, 0u);
}

TEST_F(ingest_pipeline_test, a_status_topic_publishes_a_status_message_and_stores_nothing) {
    receive("sensors/door-1", "1");
    receive("sensors/door-1/status", "offline");
    ASSERT_EQ(client_->got.size(), 2u);
    EXPECT_EQ(client_->got[1].kind, message_kind::status);
    EXPECT_NE(client_->got[1].text.find("\"status\":\"offline\""), std::string::npos);
    EXPECT_EQ(sink_.calls.size(), 1u);
    EXPECT_EQ(pipeline_.stats().accepted, 2u);
}

TEST_F(ingest_pipeline_test, a_full_sink_still_delivers_live_and_counts_the_reading_unpersisted) {
    sink_.full = true;
    receive("sensors/temp-1", "1");
    EXPECT_EQ(client_->got.size(), 1u);
    EXPECT_EQ(pipeline_.unpersisted(), 1u);
    EXPECT_NE(registry_.find("temp-1"), nullptr);
}

TEST_F(ingest_pipeline_bounded_test, a_new_sensor_over_the_bound_is_rejected_as_too_many_sensors) {
    receive("sensors/a", "1");
    receive("sensors/b", "2");
    receive("sensors/a", "3");
    EXPECT_EQ(registry_.size(), 1u);
    EXPECT_EQ(client_->got.size(), 2u);
    EXPECT_EQ(pipeline_.stats().received, 3u);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("too_many_sensors"), 1u);
    EXPECT_EQ(pipeline_.stats().accepted, 2u);
}

TEST_F(ingest_pipeline_test, count_rejected_adds_to_received_and_to_the_reason) {
    pipeline_.count_rejected("queue_full", 3);
    EXPECT_EQ(pipeline_.stats().received, 3u);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("queue_full"), 3u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

// Retained and redelivered messages (docs/PROTOCOL.md §1, "Retained messages").
class ingest_pipeline_retained_test : public ingest_pipeline_test {
protected:
    static constexpr std::int64_t now_ms = 1795000000000;

    void deliver(const std::string& topic, const std::string& payload, bool retained, int qos = 0,
                 std::uint16_t packet_id = 0, bool dup = false) {
        mqtt_message m;
        m.topic = topic;
        m.payload = payload;
        m.received_at = now_ms;
        m.retained = retained;
        m.qos = static_cast<std::uint8_t>(qos);
        m.packet_id = packet_id;
        m.dup = dup;
        pipeline_.process(m);
    }
    std::uint64_t seq(const std::string& id) const {
        const auto* e = registry_.find(id);
        return e ? e->latest.seq : 0;
    }
    std::size_t readings_pushed() const {
        std::size_t n = 0;
        for (const auto& item : client_->got) n += item.kind != message_kind::status;
        return n;
    }
};

TEST_F(ingest_pipeline_retained_test, a_retained_copy_of_the_current_reading_is_no_new_reading) {
    const std::string payload = R"({"value":5,"timestamp":1790000000000})";
    deliver("sensors/ret-1", payload, true);
    ASSERT_EQ(seq("ret-1"), 1u);
    EXPECT_NE(client_->got.at(0).text.find(R"("retained":true)"), std::string::npos) << client_->got.at(0).text;
    // The broker hands it over again on every (re)subscribe.
    deliver("sensors/ret-1", payload, true);
    deliver("sensors/ret-1", R"({"timestamp":1790000000000,"value":5})", true);  // same value and time
    EXPECT_EQ(seq("ret-1"), 1u);
    EXPECT_EQ(sink_.calls.size(), 1u);
    EXPECT_EQ(readings_pushed(), 1u);
    EXPECT_EQ(pipeline_.stats().retained_skipped, 2u);
    EXPECT_EQ(pipeline_.stats().accepted, 3u);
}

TEST_F(ingest_pipeline_retained_test, without_a_timestamp_the_same_bytes_are_the_same_reading) {
    deliver("sensors/plain-1", "21.5", false);  // live
    deliver("sensors/plain-1", "21.5", true);   // the retained copy of it, at the next connect
    EXPECT_EQ(seq("plain-1"), 1u);
    deliver("sensors/plain-1", "22", true);  // changed while the bridge was away
    EXPECT_EQ(seq("plain-1"), 2u);
    EXPECT_TRUE(registry_.find("plain-1")->latest.retained);
}

TEST_F(ingest_pipeline_retained_test, a_changed_or_older_retained_value) {
    deliver("sensors/t-1", R"({"value":1,"timestamp":1794999990000})", false);
    deliver("sensors/t-1", R"({"value":2,"timestamp":1794999995000})", true);  // newer: a reading
    EXPECT_EQ(seq("t-1"), 2u);
    deliver("sensors/t-1", R"({"value":0,"timestamp":1794999980000})", true);  // older than the current
    EXPECT_EQ(seq("t-1"), 2u);
    EXPECT_EQ(pipeline_.stats().retained_skipped, 1u);
}

TEST_F(ingest_pipeline_retained_test, an_old_retained_value_is_stale_at_once_a_recent_one_online) {
    deliver("sensors/old-1", R"({"value":5,"timestamp":1790000000000})", true);  // two months old
    const auto* old_state = registry_.status().find("old-1");
    ASSERT_NE(old_state, nullptr);
    EXPECT_EQ(old_state->status, sensor_status::stale);
    ASSERT_EQ(client_->got.size(), 2u);
    EXPECT_EQ(client_->got[1].kind, message_kind::status);
    EXPECT_NE(client_->got[1].text.find(R"("status":"stale")"), std::string::npos) << client_->got[1].text;

    deliver("sensors/new-1", R"({"value":5,"timestamp":1794999999000})", true);  // a second old
    EXPECT_EQ(registry_.status().find("new-1")->status, sensor_status::online);
}

TEST_F(ingest_pipeline_retained_test, a_dup_resend_of_a_processed_packet_is_skipped) {
    deliver("sensors/q-1", "1", false, 1, 7);
    deliver("sensors/q-1", "1", false, 1, 7, true);  // the broker missed the PUBACK
    EXPECT_EQ(seq("q-1"), 1u);
    EXPECT_EQ(pipeline_.stats().duplicates, 1u);
    // Packet id 7 reused for another message, then its resend: the first is new, the resend not.
    deliver("sensors/q-1", "2", false, 1, 7);
    deliver("sensors/q-1", "2", false, 1, 7, true);
    EXPECT_EQ(seq("q-1"), 2u);
    // A DUP whose first copy never arrived is processed.
    deliver("sensors/q-1", "3", false, 1, 8, true);
    EXPECT_EQ(seq("q-1"), 3u);
    EXPECT_EQ(pipeline_.stats().duplicates, 2u);
    EXPECT_EQ(pipeline_.stats().received, 5u);
}

TEST_F(ingest_pipeline_retained_test, without_packet_ids_a_dup_is_matched_by_topic_and_payload) {
    deliver("sensors/p-1", "1", false, 1);
    deliver("sensors/p-2", "1", false, 1, 0, true);  // another topic: new
    deliver("sensors/p-1", "1", false, 1, 0, true);
    EXPECT_EQ(seq("p-1"), 1u);
    EXPECT_EQ(seq("p-2"), 1u);
    EXPECT_EQ(pipeline_.stats().duplicates, 1u);
    deliver("sensors/p-1", "1", false, 0, 0, true);  // QoS 0 has no resends
    EXPECT_EQ(seq("p-1"), 2u);
}

}  // namespace
}  // namespace sb

namespace sb {
namespace {

TEST_F(ingest_pipeline_test, forget_tells_the_rooms_and_the_store_and_a_new_reading_starts_over) {
    receive("sensors/gone-1", "1");
    receive("sensors/gone-1", "2");
    ASSERT_TRUE(pipeline_.forget("gone-1"));
    EXPECT_EQ(registry_.find("gone-1"), nullptr);
    EXPECT_EQ(sink_.forgotten, std::vector<std::string>{"gone-1"});
    ASSERT_FALSE(client_->got.empty());
    EXPECT_EQ(client_->got.back().text, R"({"type":"sensor.removed","payload":{"sensorId":"gone-1"}})");
    EXPECT_FALSE(pipeline_.forget("gone-1"));
    receive("sensors/gone-1", "3");
    EXPECT_EQ(registry_.find("gone-1")->latest.seq, 1u);
}

TEST_F(ingest_pipeline_test, forget_silent_takes_only_sensors_silent_that_long) {
    mqtt_message m;
    m.topic = "sensors/old-1";
    m.payload = "1";
    m.received_at = now_ms() - 3600 * 1000;  // heard an hour ago
    pipeline_.process(m);
    m.topic = "sensors/new-1";
    m.received_at = now_ms();
    pipeline_.process(m);
    EXPECT_EQ(pipeline_.forget_silent(2 * 3600 * 1000), 0u);
    EXPECT_EQ(pipeline_.forget_silent(1800 * 1000), 1u);
    EXPECT_EQ(registry_.find("old-1"), nullptr);
    EXPECT_NE(registry_.find("new-1"), nullptr);
}

}  // namespace
}  // namespace sb
