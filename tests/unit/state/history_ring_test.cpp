// The compact in-memory history: order, depth, values of every kind back as they went in, the
// text table shared and bounded, and what a point costs.
#include "state/history_ring.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

namespace sb {
namespace {

constexpr std::size_t lots = 1 << 20;  // a text bound that never bites

reading at(std::uint64_t seq, reading_value v, std::string unit = "") {
    reading r;
    r.seq = seq;
    r.value = std::move(v);
    r.unit = std::move(unit);
    r.timestamp = 1000 + static_cast<std::int64_t>(seq);
    r.received_at = 2000 + static_cast<std::int64_t>(seq);
    return r;
}

std::vector<std::uint64_t> seqs(const history_ring& h) {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i < h.size(); ++i) out.push_back(h[i].seq);
    return out;
}

TEST(history_ring, a_point_is_40_bytes) {
    EXPECT_EQ(sizeof(history_ring::point), 40u);
}

TEST(history_ring, keeps_the_newest_depth_points_oldest_first_as_it_wraps) {
    history_ring h;
    for (std::uint64_t s = 1; s <= 3; ++s) h.push_back(at(s, 1.0), 5, lots);
    EXPECT_EQ(seqs(h), (std::vector<std::uint64_t>{1, 2, 3}));
    for (std::uint64_t s = 4; s <= 12; ++s) h.push_back(at(s, 1.0), 5, lots);
    EXPECT_EQ(seqs(h), (std::vector<std::uint64_t>{8, 9, 10, 11, 12}));
    EXPECT_EQ(h.front().timestamp, 1008);
    EXPECT_EQ(h.back().received_at, 2012);
    h.pop_back();
    h.push_back(at(13, 1.0), 5, lots);
    EXPECT_EQ(seqs(h), (std::vector<std::uint64_t>{8, 9, 10, 11, 13}));
}

TEST(history_ring, every_kind_of_value_and_unit_comes_back_as_it_went_in) {
    const std::vector<reading_value> values = {21.5,      -0.0,  true, false, std::string(""),
                                               std::string("ON"), std::string("8 bytes!"),
                                               std::string("nine byte"),
                                               std::string(128, 'x'), std::string("caf\xc3\xa9 \xe2\x82\xac")};
    history_ring h;
    std::uint64_t seq = 0;
    for (const auto& v : values) {
        ++seq;
        h.push_back(at(seq, v, seq % 2 ? "°C" : ""), 64, lots);
    }
    ASSERT_EQ(h.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        EXPECT_EQ(h.value(h[i]), values[i]) << i;
        EXPECT_EQ(h.unit(h[i]), (i + 1) % 2 ? "°C" : "") << i;
    }
}

TEST(history_ring, an_older_reading_goes_just_before_the_newest) {
    history_ring h;
    h.push_back(at(10, std::string("newest value, long")), 3, lots);
    h.insert_before_back(at(8, std::string("older value, long")), 3, lots);
    h.insert_before_back(at(9, 2.0), 3, lots);  // a reload gives them oldest first
    EXPECT_EQ(seqs(h), (std::vector<std::uint64_t>{8, 9, 10}));
    h.insert_before_back(at(7, 3.0), 3, lots);  // depth reached: the oldest goes
    EXPECT_EQ(seqs(h), (std::vector<std::uint64_t>{9, 7, 10}));
    EXPECT_EQ(h.value(h.back()), reading_value(std::string("newest value, long")));
}

TEST(history_ring, repeated_texts_and_units_are_held_once) {
    history_ring h;
    const std::string state = "heating-stage-2";  // longer than a point holds
    for (std::uint64_t s = 1; s <= 500; ++s) h.push_back(at(s, state, "kilowatt-hours"), 512, lots);
    EXPECT_EQ(h.text_bytes(), 2 * history_ring::text_cost(15)) << "one entry for the value, one for the unit";
    EXPECT_LE(h.bytes(), 512 * sizeof(history_ring::point) + 1024);
}

TEST(history_ring, distinct_long_texts_are_bounded_by_dropping_the_oldest) {
    history_ring h;
    const std::size_t bound = 4096;
    for (std::uint64_t s = 1; s <= 512; ++s) h.push_back(at(s, std::string(100, 'a') + std::to_string(s)), 512, bound);
    EXPECT_LE(h.text_bytes(), bound);
    EXPECT_LT(h.size(), 512u);
    EXPECT_GT(h.size(), 10u);
    EXPECT_EQ(h.back().seq, 512u);
    EXPECT_EQ(h.value(h.back()), reading_value(std::string(100, 'a') + "512"));
    // The newest stays even when it alone is over the bound.
    h.push_back(at(513, std::string(128, 'z')), 512, 1);
    EXPECT_EQ(h.size(), 1u);
    EXPECT_EQ(h.value(h.back()), reading_value(std::string(128, 'z')));
    // Dropped texts give their room back.
    EXPECT_EQ(h.text_bytes(), history_ring::text_cost(128));
    for (std::uint64_t s = 514; s <= 600; ++s) h.push_back(at(s, 1.5), 2, bound);
    EXPECT_EQ(h.text_bytes(), 0u);
}

}  // namespace
}  // namespace sb
