#include "ingest/read_pacer.hpp"

#include <chrono>

#include <gtest/gtest.h>

namespace sb {
namespace {

using namespace std::chrono_literals;
using next = read_pacer::next;
constexpr std::size_t batch = read_pacer::batch_packets;

TEST(read_pacer, light_traffic_is_read_at_once) {
    read_pacer p(500us);
    EXPECT_EQ(p.after_read(1, false), next::read_now);
    EXPECT_EQ(p.after_read(batch - 1, false), next::read_now);
    EXPECT_FALSE(p.pacing());
}

TEST(read_pacer, a_batch_in_one_read_starts_pacing) {
    read_pacer p(500us);
    EXPECT_EQ(p.after_read(batch, false), next::pause);
    EXPECT_TRUE(p.pacing());
    EXPECT_EQ(p.interval(), 500us);
}

TEST(read_pacer, pacing_lasts_while_each_interval_brings_a_batch) {
    read_pacer p(500us);
    ASSERT_EQ(p.after_read(batch, false), next::pause);
    EXPECT_EQ(p.after_read(5 * batch, false), next::pause);
    EXPECT_EQ(p.after_read(batch, false), next::pause);
    EXPECT_TRUE(p.pacing());
}

TEST(read_pacer, an_interval_with_less_than_a_batch_ends_pacing) {
    read_pacer p(500us);
    ASSERT_EQ(p.after_read(batch, false), next::pause);
    EXPECT_EQ(p.after_read(batch - 1, false), next::read_now);
    EXPECT_FALSE(p.pacing());
    EXPECT_EQ(p.after_read(0, false), next::read_now);  // nothing arrived: still at once
}

TEST(read_pacer, a_full_buffer_is_read_again_at_once_and_keeps_the_mode) {
    read_pacer p(500us);
    EXPECT_EQ(p.after_read(1000, true), next::read_now);
    EXPECT_FALSE(p.pacing());
    ASSERT_EQ(p.after_read(batch, false), next::pause);
    EXPECT_EQ(p.after_read(1000, true), next::read_now);
    EXPECT_TRUE(p.pacing());
}

TEST(read_pacer, zero_interval_never_pauses) {
    read_pacer p(0us);
    EXPECT_EQ(p.after_read(100 * batch, false), next::read_now);
    EXPECT_FALSE(p.pacing());
}

TEST(read_pacer, reset_starts_unpaced) {
    read_pacer p(500us);
    ASSERT_EQ(p.after_read(batch, false), next::pause);
    p.reset();
    EXPECT_FALSE(p.pacing());
    EXPECT_EQ(p.after_read(1, false), next::read_now);
}

}  // namespace
}  // namespace sb
