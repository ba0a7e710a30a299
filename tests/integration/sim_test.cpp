// sensor-sim against the bridge: every reading the simulator publishes, in each format, is
// accepted and reaches a sensor:* subscriber under the id the simulator says it has.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

using sim = bridge_test;

// What one sensor-sim run reported: the id of each reading it printed on stdout (one line
// each, "<id> <value> [unit] -> <topic>") and the totals of its summary on stderr
// ("sent R readings (M failed), F faults, P messages (Q failed)").
struct sim_report {
    std::multiset<std::string> ids;
    unsigned long long readings = 0;
    unsigned long long failed_readings = 0;
    unsigned long long messages = 0;
    bool has_summary = false;
};

sim_report read_report(const std::string& stdout_text, const std::string& stderr_text) {
    sim_report report;
    std::istringstream lines(stdout_text);
    std::string line;
    while (std::getline(lines, line)) {
        if (line.find(" -> ") != std::string::npos) report.ids.insert(line.substr(0, line.find(' ')));
    }
    const auto at = stderr_text.find("sent ");
    unsigned long long faults = 0;
    report.has_summary = at != std::string::npos &&
                         std::sscanf(stderr_text.c_str() + at, "sent %llu readings (%llu failed), %llu faults, %llu messages",
                                     &report.readings, &report.failed_readings, &faults, &report.messages) == 4;
    return report;
}

TEST_F(sim, every_simulated_reading_is_accepted_and_delivered) {
    constexpr std::size_t per_run = 48;  // data messages; a device format's carry several readings
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    std::uint64_t messages = 0;
    for (const char* format : {"canonical", "bare", "shelly-gen2", "esphome", "mixed"}) {
        SCOPED_TRACE(format);
        // 6 sensors make dev-1 (temp, humidity, co2, power) and dev-2 (door, temp): a Shelly
        // that notifies on events/rpc and one that publishes status/<component>. Mixed gets
        // six devices, so that every format is dealt.
        const std::string sensors = std::string(format) == "mixed" ? "24" : "6";
        const auto out = dir_ / (std::string("sim-") + format + ".out");
        const auto err = dir_ / (std::string("sim-") + format + ".err");
        const std::vector<std::string> argv{
            SENSOR_SIM_BIN, "--mqtt-url", "tcp://127.0.0.1:" + std::to_string(broker_->port()),
            "--sensors", sensors, "--rate", "100", "--count", std::to_string(per_run), "--format", format,
            "--qos", "1", "--seed", "7", "--client-id", std::string("sim-") + format};
        child_process p(spawn_options{argv, out, err, dir_.path(), {}});
        const auto code = p.wait_exit(10000ms);
        ASSERT_TRUE(code) << "sensor-sim did not finish:\n" << tail_lines(err, 10);
        EXPECT_EQ(*code, 0) << tail_lines(err, 10);
        const sim_report report = read_report(read_whole_file(out), read_whole_file(err));
        ASSERT_TRUE(report.has_summary) << tail_lines(err, 5);
        EXPECT_EQ(report.failed_readings, 0u) << tail_lines(err, 5);
        EXPECT_GE(report.messages, per_run);
        ASSERT_EQ(report.ids.size(), report.readings) << "printed readings differ from the summary";
        ASSERT_GE(report.readings, per_run);
        messages += report.messages;

        // Exactly the readings it printed, under the ids it printed, arrive.
        std::multiset<std::string> arrived;
        for (std::size_t n = 0; n < report.readings; ++n) {
            const auto frame =
                c->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 3000ms);
            ASSERT_TRUE(frame) << "only " << n << " of " << report.readings << " " << format << " readings arrived";
            arrived.insert(json_doc(*frame).str("/payload/sensorId").value_or("<none>"));
        }
        EXPECT_EQ(arrived, report.ids);
    }
    EXPECT_FALSE(c->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 300ms))
        << "more readings arrived than sensor-sim sent";
    const json_doc s = stats();
    EXPECT_EQ(s.uint("/ingest/rejected"), 0u) << s.text();
    EXPECT_GE(s.uint("/ingest/accepted").value_or(0), messages) << s.text();
    EXPECT_EQ(s.uint("/ws/conflated").value_or(0), 0u) << s.text();
    EXPECT_GE(get_json("/api/sensors").size(""), 6u);
    // ESPHome nodes announce their entities over Home Assistant discovery, as ESPHome does:
    // the readings carry the configs' names, units and device classes.
    const json_doc esphome = get_json("/api/sensors/esphome-dev-1.temperature");
    EXPECT_EQ(esphome.str("/name"), "esphome-dev-1 Temperature") << esphome.text();
    EXPECT_EQ(esphome.str("/unit"), "°C") << esphome.text();
    EXPECT_EQ(esphome.str("/deviceClass"), "temperature") << esphome.text();
    EXPECT_EQ(esphome.str("/device/name"), "esphome-dev-1") << esphome.text();
    EXPECT_EQ(get_json("/api/sensors/esphome-dev-2.door").str("/deviceClass"), "door");
}

}  // namespace
}  // namespace sb_it
