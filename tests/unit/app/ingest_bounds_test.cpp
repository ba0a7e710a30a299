// Issue 19: the bridge's own bounds reject like the normalizer does. A message whose readings
// are all for new sensors past --max-sensors is rejected too_many_sensors (logged, counted,
// dead-lettered); one that only partly fits keeps its known sensors' readings, counts as
// accepted and partly refused, and is logged and dead-lettered with the ids that did not fit.
#include <gtest/gtest.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "app/ingest_pipeline.hpp"
#include "core/log.hpp"
#include "hub/hub.hpp"
#include "hub/room.hpp"
#include "state/sensor_registry.hpp"
#include "pipeline_fakes.hpp"

namespace sb {
namespace {

// What the pipeline writes to the log while it lives.
class captured_log {
public:
    captured_log() : file_(std::tmpfile()) { set_log_output(file_); }
    ~captured_log() {
        set_log_output(nullptr);
        std::fclose(file_);
    }
    std::string text() const {
        std::fflush(file_);
        std::rewind(file_);
        std::string all;
        for (int c; (c = std::fgetc(file_)) != EOF;) all.push_back(static_cast<char>(c));
        return all;
    }

private:
    std::FILE* file_;
};

class ingest_bounds_test : public ::testing::Test {
protected:
    ingest_bounds_test()
        : registry_(2, 16), pipeline_(options(), {*topic_filter::parse("sensors/#")}, registry_, hub_, sink_,
                                      make_text_message) {
        client_ = std::make_shared<subscriber>();
        hub_.subscribe(hub_.connect(client_), *room::parse("sensor:*"));
        pipeline_.set_dead_letter_sink([this](std::string e) {
            envelopes_.push_back(std::move(e));
            return true;
        });
    }
    static normalize_options options() {
        normalize_options o;
        o.max_readings_per_message = 3;
        return o;
    }
    void receive(const std::string& topic, const std::string& payload) {
        mqtt_message m;
        m.topic = topic;
        m.payload = payload;
        m.received_at = 1795000000000;
        pipeline_.process(m);
    }
    bool has(const std::string& text, const std::string& part) const { return text.find(part) != std::string::npos; }

    captured_log log_;
    hub hub_{8};
    sensor_registry registry_;
    fake_sink sink_;
    ingest_pipeline pipeline_;
    std::shared_ptr<subscriber> client_;
    std::vector<std::string> envelopes_;
};

TEST_F(ingest_bounds_test, a_message_of_new_sensors_only_is_rejected_logged_and_dead_lettered) {
    receive("sensors/a", "1");
    receive("sensors/b", "2");
    receive("sensors/c", "3");
    EXPECT_EQ(registry_.size(), 2u);
    EXPECT_EQ(pipeline_.stats().received, 3u);
    EXPECT_EQ(pipeline_.stats().accepted, 2u);
    EXPECT_EQ(pipeline_.stats().rejected, 1u);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("too_many_sensors"), 1u);
    EXPECT_EQ(pipeline_.stats().partly_refused, 0u);
    ASSERT_EQ(envelopes_.size(), 1u);
    EXPECT_TRUE(has(envelopes_[0], R"("reason":"too_many_sensors")")) << envelopes_[0];
    EXPECT_TRUE(has(envelopes_[0], R"("detail":"1 of 1 readings for new sensors past --max-sensors (2): c")"))
        << envelopes_[0];
    EXPECT_EQ(pipeline_.stats().dead_lettered, 1u);
    const std::string log = log_.text();
    EXPECT_TRUE(has(log, "warn ingest payload rejected reason=too_many_sensors topic=sensors/c")) << log;
}

TEST_F(ingest_bounds_test, a_partly_fitting_message_keeps_the_known_readings_and_reports_the_rest) {
    receive("sensors/a", "1");
    receive("sensors/p", R"({"t":1})");
    receive("sensors/p", R"({"t":2,"h":3,"co2":400})");  // p.t known; p.h and p.co2 do not fit
    ASSERT_NE(registry_.find("p.t"), nullptr);
    EXPECT_EQ(registry_.find("p.t")->latest.seq, 2u);
    EXPECT_EQ(registry_.find("p.h"), nullptr);
    EXPECT_EQ(client_->got.size(), 3u);
    EXPECT_EQ(pipeline_.stats().received, 3u);
    EXPECT_EQ(pipeline_.stats().accepted, 3u);
    EXPECT_EQ(pipeline_.stats().rejected, 0u) << "received = accepted + rejected holds";
    EXPECT_EQ(pipeline_.stats().partly_refused, 1u);
    ASSERT_EQ(envelopes_.size(), 1u);
    EXPECT_TRUE(has(envelopes_[0], R"("reason":"too_many_sensors")")) << envelopes_[0];
    EXPECT_TRUE(has(envelopes_[0], "2 of 3 readings for new sensors past --max-sensors (2): p.h, p.co2"))
        << envelopes_[0];
    const std::string log = log_.text();
    EXPECT_TRUE(has(log, "warn ingest readings refused reason=too_many_sensors topic=sensors/p")) << log;
}

TEST_F(ingest_bounds_test, many_refused_ids_are_cut_to_fit_the_detail) {
    receive("sensors/a", "1");
    receive("sensors/b", "2");
    std::string many = "[";
    for (int i = 0; i < 3; ++i) {
        many += std::string(i ? "," : "") + R"({"n":")" + std::string(100, char('x' + i)) + R"(","v":1})";
    }
    receive("sensors/senml", many + "]");
    ASSERT_EQ(envelopes_.size(), 1u);
    EXPECT_TRUE(has(envelopes_[0], "more)")) << envelopes_[0];
    EXPECT_TRUE(has(envelopes_[0], R"("reason":"too_many_sensors")")) << envelopes_[0];
}

TEST_F(ingest_bounds_test, more_readings_than_the_per_message_cap_is_rejected_too_large) {
    receive("sensors/m", R"({"a":1,"b":2,"c":3,"d":4})");
    EXPECT_EQ(registry_.size(), 0u);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("too_large"), 1u);
    ASSERT_EQ(envelopes_.size(), 1u);
    EXPECT_TRUE(has(envelopes_[0], "more than 3 readings in one message")) << envelopes_[0];
}

TEST_F(ingest_bounds_test, queue_full_is_counted_and_logged) {
    pipeline_.count_rejected("queue_full", 3);
    EXPECT_EQ(pipeline_.stats().rejected_by_reason.at("queue_full"), 3u);
    const std::string log = log_.text();
    EXPECT_TRUE(has(log, "warn ingest payloads rejected reason=queue_full count=3")) << log;
}

}  // namespace
}  // namespace sb
