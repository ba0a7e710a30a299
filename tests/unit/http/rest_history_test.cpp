// GET /api/sensors/{id}/history?since=SEQ and the status field of REST readings.
#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "http/rest_router.hpp"

namespace sb {
namespace {

class rest_history_test : public ::testing::Test {
protected:
    void SetUp() override {
        for (std::uint64_t seq = 1; seq <= 10; ++seq) {
            reading r;
            r.sensor_id = "s";
            r.value = static_cast<double>(seq);
            r.timestamp = r.received_at = 1795000000000 + static_cast<std::int64_t>(seq);
            r.seq = seq;
            cache_.update(std::move(r), nullptr);
        }
    }

    http_reply get(const std::string& target) {
        return route_rest(http_request{"GET", target}, rest_context{cache_, stats_, health_}).value_or(http_reply{});
    }

    std::vector<std::uint64_t> seqs(const std::string& target) {
        const http_reply reply = get(target);
        EXPECT_EQ(reply.status, 200) << target << ": " << reply.body;
        rapidjson::Document d;
        d.Parse(reply.body.c_str());
        std::vector<std::uint64_t> out;
        if (!d.IsArray()) return out;
        for (const auto& r : d.GetArray()) out.push_back(r["seq"].GetUint64());
        return out;
    }

    sensor_registry cache_{100, 8};  // keeps seqs 3..10
    stats_snapshot stats_;
    health_snapshot health_;
};

TEST_F(rest_history_test, since_returns_the_readings_after_it_oldest_first_up_to_limit) {
    using v = std::vector<std::uint64_t>;
    EXPECT_EQ(seqs("/api/sensors/s/history?since=7"), (v{8, 9, 10}));
    EXPECT_EQ(seqs("/api/sensors/s/history?since=4&limit=2"), (v{5, 6})) << "the oldest after since: pages forward";
    EXPECT_EQ(seqs("/api/sensors/s/history?limit=2&since=6"), (v{7, 8}));
    EXPECT_EQ(seqs("/api/sensors/s/history?since=10"), v{});
    EXPECT_EQ(seqs("/api/sensors/s/history?since=99"), v{});
    EXPECT_EQ(seqs("/api/sensors/s/history?since=0&limit=3"), (v{3, 4, 5})) << "what is kept; seq 3 > 1 shows the gap";
    EXPECT_EQ(seqs("/api/sensors/s/history?limit=2"), (v{9, 10})) << "without since: the newest";
}

TEST_F(rest_history_test, bad_since_is_a_400) {
    for (const char* q : {"since=", "since=-1", "since=1.5", "since=abc", "since=%zz",
                          "since=18446744073709551616", "since=1&limit=0"}) {
        SCOPED_TRACE(q);
        const http_reply reply = get(std::string("/api/sensors/s/history?") + q);
        EXPECT_EQ(reply.status, 400) << reply.body;
    }
    EXPECT_EQ(get("/api/sensors/s/history?since=18446744073709551615").status, 200);
}

TEST_F(rest_history_test, readings_carry_the_sensor_status) {
    cache_.status().on_reading("s", 1000);
    auto status_of = [&](const std::string& target) {
        rapidjson::Document d;
        d.Parse(get(target).body.c_str());
        const rapidjson::Value& r = d.IsArray() ? d[0] : d;
        return std::string(r.HasMember("status") ? r["status"].GetString() : "<none>");
    };
    EXPECT_EQ(status_of("/api/sensors/s"), "online");
    EXPECT_EQ(status_of("/api/sensors"), "online");
    cache_.status().on_presence("s", false, 2000);
    EXPECT_EQ(status_of("/api/sensors/s"), "offline");
    std::vector<status_change> changes;
    cache_.status().on_reading("s", 3000);
    cache_.status().scan(3000 + 60000, changes);
    EXPECT_EQ(status_of("/api/sensors?prefix=s"), "stale");
    EXPECT_EQ(status_of("/api/sensors/s/history"), "<none>") << "history points are readings only";
}

}  // namespace
}  // namespace sb
