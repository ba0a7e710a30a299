// history_chunk: the JSON array one commit writes per sensor. Every kind of value and awkward
// integers round-trip; damaged text is reported, never guessed at.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "persist/history_chunk.hpp"
#include "store_fixtures.hpp"
#include "wire/reading_json.hpp"

namespace sb {
namespace {

using store_fixtures::expect_same;
using store_fixtures::make_reading;

std::vector<reading> decode_all(std::string_view json, bool& whole) {
    std::vector<reading> out;
    history_chunk::decode(json, "s", [&](reading& r) { out.push_back(r); }, whole);
    return out;
}

std::vector<reading> samples() {
    std::vector<reading> in;
    in.push_back(make_reading("s", 21.5, 1, "°C"));
    in.push_back(make_reading("s", -0.5, 2));
    in.push_back(make_reading("s", std::numeric_limits<double>::max(), 3, "W"));
    in.push_back(make_reading("s", true, 4));
    in.push_back(make_reading("s", false, 5, "state"));
    in.push_back(make_reading("s", std::string(""), 6));
    in.push_back(make_reading("s", std::string("quote \" backslash \\ tab \t é"), 7, "text"));
    in.push_back(make_reading("s", 0.1 + 0.2, 8));
    in.push_back(make_reading("s", 42.0, 9));
    reading extremes = make_reading("s", 1e-300, std::numeric_limits<std::uint64_t>::max());
    extremes.timestamp = std::numeric_limits<std::int64_t>::min();
    extremes.received_at = std::numeric_limits<std::int64_t>::max();
    in.push_back(extremes);
    for (auto& r : in) r.topic.clear();
    return in;
}

TEST(history_chunk, every_value_kind_and_extreme_integers_round_trip) {
    const auto in = samples();
    history_chunk chunk;
    for (const auto& r : in) chunk.add(r);
    EXPECT_EQ(chunk.points(), in.size());
    EXPECT_EQ(chunk.first_seq(), 1u);
    EXPECT_EQ(chunk.last_seq(), std::numeric_limits<std::uint64_t>::max());
    bool whole = false;
    const auto out = decode_all(chunk.finish(), whole);
    EXPECT_TRUE(whole);
    ASSERT_EQ(out.size(), in.size());
    for (std::size_t i = 0; i < in.size(); ++i) expect_same(in[i], out[i]);
}

TEST(history_chunk, a_point_copied_from_the_frame_is_the_point_formatted) {
    history_chunk formatted, copied;
    for (reading r : samples()) {
        r.topic = "sensors/s";
        reading_json_fields fields;
        const std::string frame = reading_message_json(r, fields);
        formatted.add(r);
        copied.add(r, frame, fields);
    }
    EXPECT_EQ(copied.finish(), formatted.finish());
    EXPECT_EQ(copied.points(), formatted.points());
    EXPECT_EQ(copied.last_seq(), formatted.last_seq());
}

TEST(history_chunk, points_are_plain_json_arrays) {
    history_chunk chunk;
    reading r = make_reading("kitchen.temperature", 21.5, 4242, "°C");
    chunk.add(r);
    r.value = 22.0;
    r.seq = 4243;
    chunk.add(r);
    EXPECT_EQ(chunk.finish(), "[[4242,1795000004242,1795000004249,21.5,\"°C\"],"
                              "[4243,1795000004242,1795000004249,22,\"°C\"]]");
    EXPECT_EQ(chunk.finish(), chunk.finish()) << "finish() is idempotent";
}

TEST(history_chunk, an_empty_chunk_is_an_empty_array) {
    history_chunk chunk;
    EXPECT_EQ(chunk.finish(), "[]");
    bool whole = false;
    EXPECT_TRUE(decode_all("[]", whole).empty());
    EXPECT_TRUE(whole);
}

TEST(history_chunk, damaged_text_is_refused_and_malformed_points_skipped) {
    bool whole = true;
    for (const char* bad : {"", "[[1,2,3,4,\"u\"]", "{}", "[[1,2,3,4,\"u\"]] x", "null"}) {
        EXPECT_TRUE(decode_all(bad, whole).empty()) << bad;
        EXPECT_FALSE(whole) << bad;
    }
    // Wrong arity, a negative seq, a null value, a numeric unit: each skipped, the good one kept.
    const auto out = decode_all(R"([[1,2,3],[-1,2,3,4,""],[2,2,3,null,""],[3,2,3,4,5],[4,10,11,4.5,"W"]])", whole);
    EXPECT_FALSE(whole);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0].seq, 4u);
    EXPECT_EQ(out[0].value, reading_value(4.5));
    EXPECT_EQ(out[0].unit, "W");
    EXPECT_EQ(out[0].sensor_id, "s");
}

}  // namespace
}  // namespace sb
