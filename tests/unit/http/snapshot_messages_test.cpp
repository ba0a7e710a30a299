// The frames a subscriber gets first: snapshot, `since` replay (with and without a gap), and
// the status of sensors that are not online.
#include "http/snapshot_messages.hpp"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdint>
#include <string>
#include <vector>

#include "wire/reading_json.hpp"

namespace sb {
namespace {

reading make(const std::string& id, std::uint64_t seq) {
    reading r;
    r.sensor_id = id;
    r.value = static_cast<double>(seq) / 2;
    r.unit = "W";
    r.timestamp = 1795000000000 + static_cast<std::int64_t>(seq);
    r.received_at = r.timestamp + 1;
    r.seq = seq;
    r.topic = "sensors/" + id;
    return r;
}

struct frame_info {
    std::string type;
    std::string sensor_id;
    std::uint64_t seq = 0;
    bool gap = false;
    std::string status;
};

class snapshot_messages_test : public ::testing::Test {
protected:
    void publish(const std::string& id, std::uint64_t from, std::uint64_t to) {
        for (std::uint64_t seq = from; seq <= to; ++seq) {
            reading r = make(id, seq);
            const std::string text = reading_message_json(r);
            cache_.update(std::move(r), make_text_message(text));
        }
    }

    std::vector<frame_info> frames(const std::string& room_name, std::optional<std::uint64_t> since = std::nullopt) {
        std::vector<frame_info> out;
        snapshot_messages(cache_, *room::parse(room_name), since, [&](const out_message_ptr& f) {
            rapidjson::Document d;
            d.Parse(f->text().c_str());
            const auto& p = d["payload"];
            frame_info i;
            i.type = d["type"].GetString();
            i.sensor_id = p["sensorId"].GetString();
            if (p.HasMember("seq")) i.seq = p["seq"].GetUint64();
            i.gap = p.HasMember("gap") && p["gap"].GetBool();
            if (p.HasMember("status")) i.status = p["status"].GetString();
            out.push_back(i);
        });
        return out;
    }

    static std::vector<std::uint64_t> seqs(const std::vector<frame_info>& fs) {
        std::vector<std::uint64_t> out;
        for (const auto& f : fs) out.push_back(f.seq);
        return out;
    }

    sensor_registry cache_{100, 4};
};

TEST_F(snapshot_messages_test, without_since_each_sensor_sends_its_latest_frame) {
    publish("a.1", 1, 3);
    publish("a.2", 1, 2);
    publish("b", 1, 1);
    EXPECT_EQ(seqs(frames("sensor:a.1")), (std::vector<std::uint64_t>{3}));
    const auto all = frames("sensor:a.*");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].sensor_id, "a.1");
    EXPECT_EQ(all[1].sensor_id, "a.2");
    EXPECT_FALSE(all[0].gap);
    EXPECT_TRUE(frames("sensor:missing", 1).empty());
}

TEST_F(snapshot_messages_test, since_replays_what_followed_it_oldest_first) {
    publish("s", 1, 5);  // depth 4 keeps 2..5
    const auto replay = frames("sensor:s", 2);
    EXPECT_EQ(seqs(replay), (std::vector<std::uint64_t>{3, 4, 5}));
    for (const auto& f : replay) {
        EXPECT_EQ(f.type, "sensor.reading");
        EXPECT_FALSE(f.gap);
    }
    EXPECT_EQ(seqs(frames("sensor:s", 1)), (std::vector<std::uint64_t>{2, 3, 4, 5})) << "seq 2 is still kept";
    EXPECT_TRUE(frames("sensor:s", 5).empty()) << "up to date: nothing to send";
}

TEST_F(snapshot_messages_test, since_older_than_the_history_sends_the_latest_marked_gap) {
    publish("s", 1, 10);  // keeps 7..10
    for (std::uint64_t since : {0u, 1u, 5u, 11u}) {
        SCOPED_TRACE(since);
        const auto out = frames("sensor:s", since);
        ASSERT_EQ(out.size(), 1u);
        EXPECT_EQ(out[0].seq, 10u);
        EXPECT_TRUE(out[0].gap);
    }
    EXPECT_FALSE(frames("sensor:s", 6)[0].gap) << "since 6: 7..10 are all kept";
}

TEST_F(snapshot_messages_test, sensors_not_online_follow_with_their_status) {
    publish("a.1", 1, 1);
    publish("a.2", 1, 1);
    cache_.status().on_reading("a.1", 1000);
    cache_.status().on_reading("a.2", 1000);
    cache_.status().on_presence("a.2", false, 2000);
    const auto out = frames("sensor:a.*");
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[2].type, "sensor.status");
    EXPECT_EQ(out[2].sensor_id, "a.2");
    EXPECT_EQ(out[2].status, "offline");
    const auto one = frames("sensor:a.2", 0);
    ASSERT_EQ(one.size(), 2u);
    EXPECT_EQ(one[0].type, "sensor.reading");
    EXPECT_EQ(one[1].status, "offline");
    EXPECT_EQ(frames("sensor:a.1").size(), 1u) << "online needs no status frame";
}

// A device known only by its will or availability topic: no reading, but it is offline, and a
// page subscribing after a reload must learn that.
TEST_F(snapshot_messages_test, a_sensor_known_only_by_its_status_is_in_the_snapshot) {
    publish("a.1", 1, 1);
    cache_.status().on_presence("a.dev", false, 2000);
    const auto all = frames("sensor:*");
    ASSERT_EQ(all.size(), 2u);
    EXPECT_EQ(all[0].sensor_id, "a.1");
    EXPECT_EQ(all[1].type, "sensor.status");
    EXPECT_EQ(all[1].sensor_id, "a.dev");
    EXPECT_EQ(all[1].status, "offline");
    const auto exact = frames("sensor:a.dev");
    ASSERT_EQ(exact.size(), 1u);
    EXPECT_EQ(exact[0].status, "offline");
    cache_.status().on_presence("b.dev", true, 2000);
    EXPECT_TRUE(frames("sensor:b.*").empty()) << "online needs no status frame";
}

}  // namespace
}  // namespace sb
