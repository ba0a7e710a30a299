#include "core/log_site.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "core/log.hpp"

namespace sb {
namespace {

using namespace std::chrono;

TEST(log_site, a_call_site_writes_a_burst_then_reports_the_count) {
    log_site site;
    const auto t0 = log_limiter::clock::time_point{} + hours(1);
    int written = 0;
    std::uint64_t suppressed = 0;
    for (int i = 0; i < 100; ++i) written += site.admit(suppressed, t0 + microseconds(i)) ? 1 : 0;
    EXPECT_EQ(written, log_site::burst);
    ASSERT_TRUE(site.admit(suppressed, t0 + seconds(2)));
    EXPECT_EQ(suppressed, 100u - log_site::burst);
}

// The same SB_LOG line in a loop: a burst reaches the output, the rest is held back.
TEST(log_site, sb_log_does_not_flood) {
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    set_log_output(out);
    for (int i = 0; i < 1000; ++i) SB_LOG(error, "test", "broker refused", "attempt=" + std::to_string(i));
    SB_LOG(error, "test", "another call site", "");
    set_log_output(nullptr);
    std::rewind(out);
    int lines = 0;
    std::string all;
    for (int c; (c = std::fgetc(out)) != EOF;) {
        all.push_back(static_cast<char>(c));
        if (c == '\n') ++lines;
    }
    std::fclose(out);
    // The loop's first lines (a slow machine may cross into a second window: at most twice),
    // and the other call site is not held back by the first one.
    EXPECT_GE(lines, log_site::burst + 1) << all;
    EXPECT_LE(lines, 2 * log_site::burst + 1) << all;
    EXPECT_NE(all.find(" error test broker refused attempt=0\n"), std::string::npos) << all;
    EXPECT_NE(all.find(" error test another call site\n"), std::string::npos) << all;
}

}  // namespace
}  // namespace sb
