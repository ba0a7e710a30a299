// Graceful shutdown (STYLE.md §8): clients get 1001 and the process exits 0 promptly.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <signal.h>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

using lifecycle = bridge_test;

TEST_F(lifecycle, sigterm_closes_clients_with_1001_and_exits_0_within_2s) {
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    auto idle = connect_client();

    const auto t0 = steady::now();
    const auto code = bridge_->terminate(2000ms);
    ASSERT_TRUE(code) << "still running 2 s after SIGTERM";
    EXPECT_EQ(*code, 0);
    EXPECT_LT(std::chrono::duration_cast<ms>(steady::now() - t0).count(), 2000);

    ASSERT_TRUE(c->wait_closed(1000ms));
    EXPECT_EQ(c->close_code(), 1001);
    ASSERT_TRUE(idle->wait_closed(1000ms));
    EXPECT_EQ(idle->close_code(), 1001);
}

TEST_F(lifecycle, sigint_also_stops_cleanly) {
    bridge_->process().send_signal(SIGINT);
    const auto code = bridge_->process().wait_exit(2000ms);
    ASSERT_TRUE(code) << "still running 2 s after SIGINT";
    EXPECT_EQ(*code, 0);
}

// The SQLite writer is background work at nice +10 (ARCHITECTURE.md, Threads); the network
// thread keeps the default. Read from /proc: field 19 of each task's stat is its nice value.
TEST_F(lifecycle, the_store_writer_thread_runs_at_a_lower_priority) {
    const std::string tasks = "/proc/" + std::to_string(bridge_->pid()) + "/task";
    std::vector<int> nice_values;
    for (const auto& t : std::filesystem::directory_iterator(tasks)) {
        std::ifstream in(t.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // after "pid (comm) "
        std::string field;
        for (int i = 3; i <= 19 && fields >> field; ++i) {
        }
        nice_values.push_back(std::stoi(field));
    }
    EXPECT_EQ(std::count(nice_values.begin(), nice_values.end(), 10), 1) << "one writer thread at nice 10";
    EXPECT_EQ(std::count(nice_values.begin(), nice_values.end(), 0), static_cast<long>(nice_values.size()) - 1);
}

}  // namespace
}  // namespace sb_it
