#include "hub/pending_latest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace sb {
namespace {

std::vector<std::string> drain(pending_latest& p) {
    std::vector<std::string> out;
    while (!p.empty()) {
        out.push_back(p.front()->text());
        p.pop_front();
    }
    return out;
}

TEST(pending_latest, latest_wins_per_sensor_in_the_order_of_the_last_update) {
    pending_latest p;
    EXPECT_FALSE(p.put("a", message_kind::reading, make_text_message("a1")));
    EXPECT_FALSE(p.put("b", message_kind::reading, make_text_message("b1")));
    EXPECT_TRUE(p.put("a", message_kind::reading, make_text_message("a2")));
    EXPECT_FALSE(p.put("c", message_kind::reading, make_text_message("c1")));
    EXPECT_EQ(p.size(), 3u);
    // A subsequence of a1 b1 a2 c1, in stream order.
    EXPECT_EQ(drain(p), (std::vector<std::string>{"b1", "a2", "c1"}));
}

TEST(pending_latest, statuses_are_kept_apart_from_readings) {
    pending_latest p;
    p.put("a", message_kind::reading, make_text_message("a-r1"));
    p.put("a", message_kind::status, make_text_message("a-offline"));
    p.put("a", message_kind::status, make_text_message("a-online"));
    EXPECT_EQ(drain(p), (std::vector<std::string>{"a-r1", "a-online"}));
}

TEST(pending_latest, counts_payload_bytes_of_what_is_pending) {
    pending_latest p;
    p.put("a", message_kind::reading, make_text_message("1234"));
    p.put("b", message_kind::reading, make_text_message("12"));
    EXPECT_EQ(p.bytes(), 6u);
    p.put("a", message_kind::reading, make_text_message("1"));
    EXPECT_EQ(p.bytes(), 3u);
    p.pop_front();
    EXPECT_EQ(p.bytes(), 1u);
    p.clear();
    EXPECT_EQ(p.bytes(), 0u);
    EXPECT_TRUE(p.empty());
    EXPECT_FALSE(p.put("a", message_kind::reading, make_text_message("x")));  // the index was cleared too
}

TEST(pending_latest, holds_the_shared_frame_not_a_copy) {
    pending_latest p;
    auto f = make_text_message("x");
    p.put("a", message_kind::reading, f);
    EXPECT_EQ(p.front().get(), f.get());
}

}  // namespace
}  // namespace sb
