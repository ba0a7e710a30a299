// sensor-sim against the bridge: every reading the simulator publishes, in each format, is
// accepted and reaches a sensor:* subscriber.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

using sim = bridge_test;

TEST_F(sim, every_simulated_reading_is_accepted_and_delivered) {
    constexpr std::size_t per_run = 48;
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    std::size_t readings = 0;
    for (const char* format : {"canonical", "bare"}) {
        SCOPED_TRACE(format);
        const auto out = dir_ / (std::string("sim-") + format + ".log");
        const std::vector<std::string> argv{
            SENSOR_SIM_BIN, "--mqtt-url", "tcp://127.0.0.1:" + std::to_string(broker_->port()),
            "--sensors", "6", "--rate", "100", "--count", std::to_string(per_run), "--format", format,
            "--qos", "1", "--seed", "7", "--quiet"};
        child_process p(spawn_options{argv, out, {}, dir_.path(), {}});
        const auto code = p.wait_exit(10000ms);
        ASSERT_TRUE(code) << "sensor-sim did not finish:\n" << tail_lines(out, 10);
        EXPECT_EQ(*code, 0) << tail_lines(out, 10);
        for (std::size_t n = 0; n < per_run; ++n) {
            ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 3000ms))
                << "only " << n << " of " << per_run << " " << format << " readings arrived";
            ++readings;
        }
    }
    const json_doc s = stats();
    EXPECT_EQ(s.uint("/ingest/rejected"), 0u) << s.text();
    EXPECT_GE(s.uint("/ingest/accepted").value_or(0), readings) << s.text();
    EXPECT_GE(get_json("/api/sensors").size(""), 6u);
}

}  // namespace
}  // namespace sb_it
