// Graceful shutdown (docs/ARCHITECTURE.md, shutdown order): clients get 1001 and the process exits 0 promptly.
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
#include "support/log_file.hpp"

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

// systemctl reload sends SIGHUP (the packaged unit's ExecReload): without a token file there is
// nothing to reload, and the bridge must not take the signal's default meaning (exit).
TEST_F(lifecycle, sighup_without_a_token_file_keeps_it_running_and_serving) {
    auto c = connect_client();
    subscribe(*c, "sensor:*");
    bridge_->process().send_signal(SIGHUP);
    ASSERT_TRUE(wait_until([&] { return read_whole_file(bridge_->log_path()).find("nothing to reload") != std::string::npos; },
                           3000ms))
        << read_whole_file(bridge_->log_path());
    EXPECT_TRUE(bridge_->running());
    EXPECT_TRUE(c->is_open());
    publish("sensors/hup/temp", R"({"value": 21.5})");
    EXPECT_TRUE(c->wait_for([](const std::string& f) { return is_reading_of(f, "hup.temp"); }, 5000ms));
}

// The SQLite writer is background work under SCHED_IDLE and the history reader runs at nice +5
// (docs/ARCHITECTURE.md, Threads); every other thread keeps the default policy and nice value. Read from /proc: in each task's stat, field 19
// is the nice value and field 41 the scheduling policy (0 SCHED_OTHER, 5 SCHED_IDLE).
TEST_F(lifecycle, the_store_writer_thread_runs_only_on_idle_cores) {
    const std::string tasks = "/proc/" + std::to_string(bridge_->pid()) + "/task";
    int idle = 0, normal = 0, reader = 0, others = 0;
    for (const auto& t : std::filesystem::directory_iterator(tasks)) {
        std::ifstream in(t.path() / "stat");
        std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::istringstream fields(stat.substr(stat.rfind(')') + 2));  // after "pid (comm) "
        std::vector<std::string> f(3);  // fields 1-2 (pid, comm) are cut off: f[i] is field i
        for (std::string field; fields >> field;) f.push_back(field);
        ASSERT_GT(f.size(), 41u) << stat;
        const int nice = std::stoi(f[19]);
        const int policy = std::stoi(f[41]);
        if (policy == 5) {
            ++idle;
        } else if (policy == 0 && nice == 0) {
            ++normal;
        } else if (policy == 0 && nice == 5) {
            ++reader;
        } else {
            ++others;
        }
    }
    EXPECT_EQ(idle, 1) << "one writer thread under SCHED_IDLE";
    EXPECT_GE(normal, 1) << "the network thread at the default";
    EXPECT_EQ(reader, 1) << "the history reader at nice +5";
    EXPECT_EQ(others, 0) << "no thread at another policy or nice value";
}

}  // namespace
}  // namespace sb_it
