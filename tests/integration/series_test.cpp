// GET /api/sensors/{id}/series and GET /api/series against the real bridge (docs/PROTOCOL.md §6,
// "Series"): two days of timestamped readings, one back-filled, queried by range in JSON and
// CSV, raw and bucketed, and the same again after a restart.
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

constexpr std::int64_t base = 1795000000000;    // 2026-11-18T11:06:40Z
constexpr std::int64_t half_hour = 1800000;
constexpr int readings = 96;                     // two days at one per half hour

class series : public bridge_test {
protected:
    void publish_two_days() {
        // The reading at index 10 comes last: it is placed by its timestamp all the same.
        for (int i = 0; i < readings; ++i) {
            if (i == 10) continue;
            publish("sensors/freezer", R"({"value":)" + std::to_string(-20 + i % 5) + R"(,"timestamp":)" +
                                           std::to_string(base + i * half_hour) + "}");
        }
        publish("sensors/freezer", R"({"value":-20,"timestamp":)" + std::to_string(base + 10 * half_hour) + "}");
        publish("sensors/door", R"({"value":"open","timestamp":)" + std::to_string(base) + "}");
        ASSERT_TRUE(wait_for_seq("freezer", readings));
        ASSERT_TRUE(wait_for_seq("door", 1));
    }
    std::string range() const {
        return "from=" + std::to_string(base) + "&to=" + std::to_string(base + 2 * 24 * 3600000LL);
    }
    void check_answers() {
        const json_doc raw = get_json("/api/sensors/freezer/series?" + range());
        ASSERT_EQ(raw.str("/resolution"), "raw") << raw.text();
        ASSERT_EQ(raw.size("/points"), static_cast<std::size_t>(readings));
        for (int i = 0; i < readings; ++i) {
            const std::string at = "/points/" + std::to_string(i);
            EXPECT_EQ(raw.number((at + "/t").c_str()), static_cast<double>(base + i * half_hour)) << i;
        }
        // 12 h buckets asked for: hour aggregates, in whole hours (14 h: four hour-aligned
        // buckets cover a range that starts mid-hour).
        const json_doc buckets = get_json("/api/sensors/freezer/series?" + range() + "&maxPoints=4");
        EXPECT_EQ(buckets.str("/tier"), "1h") << buckets.text();
        EXPECT_EQ(buckets.str("/resolution"), "50400000ms") << buckets.text();
        ASSERT_EQ(buckets.size("/points"), 4u);
        double counted = 0;
        for (int i = 0; i < 4; ++i) counted += *buckets.number(("/points/" + std::to_string(i) + "/count").c_str());
        EXPECT_EQ(counted, readings);
        EXPECT_EQ(buckets.number("/points/0/min"), -20.0);
        EXPECT_EQ(buckets.number("/points/0/max"), -16.0);

        const http_response csv = get("/api/sensors/freezer/series?" + range() + "&format=csv");
        ASSERT_EQ(csv.status, 200);
        std::istringstream lines(csv.body);
        std::string line;
        std::vector<std::string> rows;
        while (std::getline(lines, line)) rows.push_back(line);
        ASSERT_EQ(rows.size(), static_cast<std::size_t>(readings + 1));
        EXPECT_EQ(rows[0], "t,time,value\r");
        EXPECT_EQ(rows[1], std::to_string(base) + ",2026-11-18T11:06:40.000Z,-20\r");

        const http_response all = get("/api/series?prefix=&" + range() + "&format=csv&maxPoints=4");
        ASSERT_EQ(all.status, 200);
        EXPECT_EQ(all.body.rfind("sensorId,t,time,min,max,mean,count,last\r\n", 0), 0u) << all.body.substr(0, 200);
        EXPECT_NE(all.body.find("\"door\"," + std::to_string(base) + ",2026-11-18T11:06:40.000Z,,,,1,\"open\""),
                  std::string::npos)
            << all.body;
    }
};

TEST_F(series, a_range_of_two_days_in_json_and_csv_raw_and_bucketed_and_after_a_restart) {
    publish_two_days();
    check_answers();
    ASSERT_TRUE(bridge_->terminate(2000ms));
    start_bridge("bridge-restarted");
    check_answers();
}

// Memory holds 4 readings: the rest comes from disk. Raw kept ten years: the raw points are read
// back from their rows.
class series_from_disk : public series {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--history-depth", "4", "--raw-retention", "3650d"};
    }
};

TEST_F(series_from_disk, raw_points_and_buckets_come_from_the_tiers_before_and_after_a_restart) {
    publish_two_days();
    // Committed within the flush interval.
    ASSERT_TRUE(wait_until([&] { return get_json("/api/sensors/freezer/series?" + range()).size("/points") == readings; }, 10000ms));
    check_answers();
    ASSERT_TRUE(bridge_->terminate(2000ms));
    start_bridge("bridge-restarted");
    check_answers();
}

// The default 48 h of raw readings: these are weeks old, so once their hours are compacted only
// the aggregates keep them. A query that would want raw points gets whole minutes.
class series_past_raw_retention : public series {
protected:
    std::vector<std::string> bridge_args() const override { return {"--history-depth", "4"}; }
};

TEST_F(series_past_raw_retention, old_readings_are_answered_from_minute_aggregates) {
    publish_two_days();
    const std::string target = "/api/sensors/freezer/series?" + range() + "&maxPoints=10000";
    ASSERT_TRUE(wait_until([&] { return get_json(target).str("/tier") == "1m"; }, 30000ms)) << get(target).body;
    const json_doc minutes = get_json(target);
    EXPECT_EQ(minutes.str("/resolution"), "1m");
    ASSERT_EQ(minutes.size("/points"), static_cast<std::size_t>(readings)) << "one reading per minute bucket";
    double counted = 0;
    for (int i = 0; i < readings; ++i) {
        const std::string at = "/points/" + std::to_string(i);
        EXPECT_EQ(minutes.number((at + "/t").c_str()), static_cast<double>((base + i * half_hour) / 60000 * 60000)) << i;
        counted += *minutes.number((at + "/count").c_str());
    }
    EXPECT_EQ(counted, readings);
    // The door's text value keeps its change, not an aggregate.
    const json_doc door = get_json("/api/sensors/door/series?" + range());
    ASSERT_EQ(door.size("/points"), 1u) << door.text();
    EXPECT_EQ(door.str("/points/0/v"), "open");
}

TEST_F(series, bad_ranges_are_400_and_unknown_sensors_404) {
    publish("sensors/freezer", "-18");
    ASSERT_TRUE(wait_for_seq("freezer", 1));
    EXPECT_EQ(get("/api/sensors/freezer/series").status, 200) << "the last hour by default";
    EXPECT_EQ(get_json("/api/sensors/freezer/series?from=-15m").size("/points"), 1u);
    for (const char* bad : {"from=2&to=1", "from=yesterday", "maxPoints=0", "maxPoints=10001", "format=xml"}) {
        const http_response r = get(std::string("/api/sensors/freezer/series?") + bad);
        EXPECT_EQ(r.status, 400) << bad;
        EXPECT_NE(r.body.find("\"BAD_REQUEST\""), std::string::npos) << bad << ": " << r.body;
    }
    EXPECT_EQ(get("/api/sensors/nope/series").status, 404);
}

}  // namespace
}  // namespace sb_it
