// GET /api/sensors/{id}/series and GET /api/series against the real bridge (docs/PROTOCOL.md §6,
// "Series"): two days of timestamped readings, one back-filled, queried by range in JSON and
// CSV, raw and bucketed, and the same again after a restart.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <random>
#include <sstream>
#include <thread>
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

// A small --history-budget held under a flood: 16 sensors x 10 800 readings (random values, so
// ~9 bytes a raw point: 1.5 MB of raw data) over 3 hours at 1 Hz, published as fast as the
// broker takes them, against 1 MiB. The pages in use stay within the budget and one commit's worth;
// raw hours go first, oldest first, and the minute aggregates keep the time they covered.
class series_budget : public series {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--history-budget", "1M", "--history-depth", "4", "--raw-retention", "3650d"};
    }
};

TEST_F(series_budget, is_held_under_a_flood_raw_hours_going_first) {
    constexpr std::int64_t budget = 1 << 20;
    constexpr int messages = 10800, metrics = 16;
    constexpr std::int64_t step = 1000;  // 1 Hz: 3 hours in all
    const std::int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
    const std::int64_t start = (now - messages * step) / 3600000 * 3600000;
    std::mt19937_64 rng(18);
    std::uniform_real_distribution<double> value(-1000, 1000);
    std::atomic<bool> done{false};
    std::atomic<std::int64_t> most{0};
    std::atomic<int> samples{0};
    std::thread sampler([&] {
        while (!done) {
            if (const auto used = stats().number("/store/dbBytes")) {
                most = std::max<std::int64_t>(most, static_cast<std::int64_t>(*used));
                ++samples;
            }
            std::this_thread::sleep_for(20ms);
        }
    });
    for (int i = 0; i < messages; ++i) {
        std::string payload = "{";
        for (int m = 0; m < metrics; ++m) payload += "\"m" + std::to_string(m) + "\":" + std::to_string(value(rng)) + ",";
        publish("sensors/flood", payload + "\"timestamp\":" + std::to_string(start + i * step) + "}", 0);
    }
    const bool stored = wait_until([&] {
        const json_doc st = stats();
        return st.number("/store/historyWritten").value_or(0) + st.number("/store/historyDropped").value_or(0) >=
                   messages * metrics &&
               st.number("/store/tierEvictions").value_or(0) > 0;
    }, 30000ms);
    done = true;
    sampler.join();
    ASSERT_TRUE(stored) << stats().text();
    const json_doc st = stats();
    EXPECT_GT(samples.load(), 5);
    // One commit's worth over at most: here up to 50 000 history points (~500 KB), in practice far less.
    EXPECT_LE(most.load(), budget + budget / 2) << st.text();
    EXPECT_LE(*st.number("/store/dbBytes"), budget) << "held after the last commit: " << st.text();
    EXPECT_EQ(st.number("/store/tierDropped"), 0.0) << st.text();

    // Raw: the oldest hours went, the newest are still there, every point of them.
    const std::string id = "flood.m7";
    const std::string first_hours = "from=" + std::to_string(start) + "&to=" + std::to_string(start + 2 * 3600000 - 1);
    const std::string last_hour = "from=" + std::to_string(start + (messages - 360) * step) + "&to=" +
                                  std::to_string(start + (messages - 1) * step);
    const json_doc recent = get_json("/api/sensors/" + id + "/series?" + last_hour + "&maxPoints=10000");
    EXPECT_EQ(recent.str("/resolution"), "raw") << recent.text().substr(0, 300);
    EXPECT_EQ(recent.size("/points"), 360u);
    // Minutes: the first hours are still answered, from aggregates, every reading counted.
    const json_doc old = get_json("/api/sensors/" + id + "/series?" + first_hours + "&maxPoints=10000");
    EXPECT_EQ(old.str("/tier"), "1m") << old.text().substr(0, 300);
    double counted = 0;
    for (std::size_t i = 0; i < old.size("/points"); ++i) counted += *old.number(("/points/" + std::to_string(i) + "/count").c_str());
    EXPECT_EQ(counted, 7200.0) << "two hours at 1 Hz";
    // /metrics: the raw tier now starts later than the minute tier.
    const http_response metrics_page = get("/metrics");
    const auto oldest = [&](const std::string& tier) {
        const std::string key = "sensor_bridge_history_oldest_seconds{tier=\"" + tier + "\"} ";
        const auto at = metrics_page.body.find(key);
        return at == std::string::npos ? -1.0 : std::stod(metrics_page.body.substr(at + key.size()));
    };
    EXPECT_EQ(oldest("1m"), static_cast<double>(start / 1000)) << metrics_page.body;
    EXPECT_GT(oldest("raw"), static_cast<double>(start / 1000)) << metrics_page.body;
}

}  // namespace
}  // namespace sb_it
