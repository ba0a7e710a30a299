// Resume after reconnect (issue 5): `since` replays a sensor's readings from its history, or
// sends the latest marked "gap" when the history no longer holds them; the history is in
// SQLite, so it survives a restart; GET .../history?since= serves the same data. The instance
// that gives seqs their meaning (issue 19) lives with the database.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdint>
#include <deque>
#include <regex>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"

namespace sb_it {
namespace {

std::string subscribe_since(const std::string& room, std::uint64_t since) {
    return R"({"type":"subscribe","id":"resume","payload":{"room":")" + room + R"(","since":)" +
           std::to_string(since) + "}}";
}

// The instance the `connected` welcome of a new connection to port names ("" when none).
std::string instance_in_connected(std::uint16_t port) {
    ws_test_client c;
    if (!c.connect(port)) return "";
    const auto welcome = c.next_frame(2000ms);
    if (!welcome || !is_frame_type(*welcome, "connected")) return "";
    return json_doc(*welcome).str("/payload/instance").value_or("");
}

bool is_instance(const std::string& id) { return std::regex_match(id, std::regex("[0-9a-f]{32}")); }

class resume : public bridge_test {
protected:
    std::string instance_in_health(std::uint16_t port) const {
        return json_doc(http_get(port, "/api/health").body).str("/instance").value_or("");
    }

    void publish_values(const std::string& id, int from, int to) {
        for (int v = from; v <= to; ++v) publish("sensors/" + id, std::to_string(v));
        ASSERT_TRUE(wait_for_seq(id, static_cast<std::uint64_t>(to))) << stats().text();
    }

    // Subscribes with since and collects the reading frames that arrive before the ack's
    // follow-up ping is answered: exactly what the subscribe sent.
    std::vector<json_doc> resume_from(const std::string& id, std::uint64_t since) {
        auto c = connect_client();
        c->send(subscribe_since("sensor:" + id, since));
        c->send(R"({"type":"ping","id":"end"})");
        std::deque<std::string> before;
        const auto pong = c->wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 3000ms, before);
        EXPECT_TRUE(pong) << "no pong after the subscribe";
        std::vector<json_doc> readings;
        for (const auto& f : before) {
            if (is_frame_type(f, "sensor.reading")) readings.emplace_back(f);
        }
        return readings;
    }

    std::vector<std::uint64_t> history_seqs(const std::string& target) {
        const json_doc d = get_json(target);
        std::vector<std::uint64_t> seqs;
        for (std::size_t i = 0; i < d.size(""); ++i) {
            const std::string p = "/" + std::to_string(i) + "/seq";
            seqs.push_back(d.uint(p.c_str()).value_or(0));
        }
        return seqs;
    }
};

TEST_F(resume, since_replays_the_readings_after_it_in_order_then_live_ones) {
    publish_values("r1", 1, 5);
    const auto replay = resume_from("r1", 2);
    ASSERT_EQ(replay.size(), 3u) << "expected seq 3, 4, 5";
    for (std::size_t i = 0; i < replay.size(); ++i) {
        EXPECT_EQ(replay[i].uint("/payload/seq"), 3 + i) << replay[i].text();
        EXPECT_EQ(replay[i].number("/payload/value"), 3.0 + static_cast<double>(i)) << replay[i].text();
        EXPECT_FALSE(replay[i].has("/payload/gap")) << replay[i].text();
    }
    EXPECT_TRUE(resume_from("r1", 5).empty()) << "a client that is up to date gets nothing";
}

TEST_F(resume, live_readings_follow_the_replay) {
    publish_values("r2", 1, 3);
    auto c = connect_client();
    c->send(subscribe_since("sensor:r2", 1));
    publish("sensors/r2", "4");
    std::vector<std::uint64_t> seqs;
    for (int i = 0; i < 3; ++i) {
        const auto f = c->wait_for([](const std::string& x) { return is_reading_of(x, "r2"); }, 3000ms);
        ASSERT_TRUE(f) << "only " << seqs.size() << " readings";
        seqs.push_back(json_doc(*f).uint("/payload/seq").value_or(0));
    }
    EXPECT_EQ(seqs, (std::vector<std::uint64_t>{2, 3, 4}));
}

TEST_F(resume, rest_history_since_serves_the_same_readings) {
    publish_values("r3", 1, 5);
    EXPECT_EQ(history_seqs("/api/sensors/r3/history?since=2"), (std::vector<std::uint64_t>{3, 4, 5}));
    EXPECT_EQ(history_seqs("/api/sensors/r3/history?since=2&limit=1"), (std::vector<std::uint64_t>{3}));
    EXPECT_EQ(history_seqs("/api/sensors/r3/history?since=5"), (std::vector<std::uint64_t>{}));
    EXPECT_EQ(get("/api/sensors/r3/history?since=x").status, 400);
}

TEST_F(resume, since_on_a_prefix_room_is_refused) {
    auto c = connect_client();
    c->send(R"({"type":"subscribe","id":"p","payload":{"room":"sensor:*","since":3}})");
    const auto err = c->next_frame(2000ms);
    ASSERT_TRUE(err);
    const json_doc d(*err);
    EXPECT_EQ(d.str("/type"), "error") << *err;
    EXPECT_EQ(d.str("/payload/code"), "BAD_ROOM") << *err;
    EXPECT_EQ(d.str("/id"), "p") << *err;
    EXPECT_EQ(stats().uint("/ws/subscriptions"), 0u) << "the refused subscribe must not subscribe";
}

TEST_F(resume, history_survives_a_restart) {
    publish_values("r4", 1, 5);
    const auto code = bridge_->terminate(3000ms);
    ASSERT_TRUE(code) << "the bridge did not exit on SIGTERM";
    EXPECT_EQ(*code, 0);
    start_bridge("bridge-restarted");
    EXPECT_EQ(history_seqs("/api/sensors/r4/history"), (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
    const auto replay = resume_from("r4", 3);
    ASSERT_EQ(replay.size(), 2u);
    EXPECT_EQ(replay[0].uint("/payload/seq"), 4u);
    EXPECT_EQ(replay[0].number("/payload/value"), 4.0);
    EXPECT_EQ(replay[1].uint("/payload/seq"), 5u);
    publish_values("r4", 6, 6);
    EXPECT_EQ(history_seqs("/api/sensors/r4/history?since=4"), (std::vector<std::uint64_t>{5, 6}));
}

// docs/PROTOCOL.md §3: a seq means something only with the instance that gave it. The instance
// is kept in the database: a restart on the same file (after a clean stop or a kill) keeps it,
// a new file is a new instance.
TEST_F(resume, the_instance_is_in_connected_and_health_and_lives_with_the_database) {
    const std::string first = instance_in_connected(port());
    ASSERT_TRUE(is_instance(first)) << "connected carries no instance: '" << first << "'";
    EXPECT_EQ(instance_in_health(port()), first);
    publish_values("i1", 1, 3);

    ASSERT_TRUE(bridge_->terminate(3000ms));
    start_bridge("bridge-restarted");
    EXPECT_EQ(instance_in_connected(port()), first) << "a clean restart on the same database";
    EXPECT_EQ(instance_in_health(port()), first);

    bridge_->process().send_signal(SIGKILL);
    ASSERT_TRUE(wait_until([&] { return !bridge_->running(); }, 5000ms));
    start_bridge("bridge-after-kill");
    EXPECT_EQ(instance_in_connected(port()), first) << "a restart after a kill, same database";
    EXPECT_EQ(instance_in_health(port()), first);
    EXPECT_EQ(get_json("/api/sensors/i1").uint("/seq"), 3u) << "the same database, its readings";

    bridge_config fresh = config();
    fresh.db = dir_ / "another.db";
    bridge_process other(dir_.path(), fresh, "bridge-new-db");
    ASSERT_TRUE(other.wait_mqtt_connected());
    const std::string second = instance_in_connected(other.http_port());
    EXPECT_TRUE(is_instance(second)) << second;
    EXPECT_NE(second, first) << "a new database is a new instance";
    EXPECT_EQ(instance_in_health(other.http_port()), second);
}

class resume_short_history : public resume {
protected:
    std::vector<std::string> bridge_args() const override { return {"--history-depth", depth_}; }
    std::string depth_ = "3";
};

TEST_F(resume_short_history, since_older_than_the_history_sends_the_latest_marked_gap) {
    publish_values("g1", 1, 10);
    const auto replay = resume_from("g1", 1);
    ASSERT_EQ(replay.size(), 1u) << "only the latest, not what the history still holds";
    EXPECT_EQ(replay[0].uint("/payload/seq"), 10u) << replay[0].text();
    EXPECT_EQ(replay[0].boolean("/payload/gap"), true) << replay[0].text();
    EXPECT_EQ(history_seqs("/api/sensors/g1/history?since=1"), (std::vector<std::uint64_t>{8, 9, 10}))
        << "REST returns what it kept; the first seq shows the gap";
}

// The database keeps each sensor's newest depth points, plus at most one partly expired chunk:
// never more than twice the depth (docs/ARCHITECTURE.md, "History: in memory and in SQLite").
TEST_F(resume_short_history, the_database_keeps_the_depth_and_at_most_twice_it) {
    publish_values("g2", 1, 20);
    ASSERT_TRUE(bridge_->terminate(3000ms));
    depth_ = "20";  // a deeper ring after the restart shows what the database kept
    start_bridge("bridge-restarted");
    const auto seqs = history_seqs("/api/sensors/g2/history");
    ASSERT_GE(seqs.size(), 3u);
    EXPECT_LE(seqs.size(), 6u);
    for (std::size_t i = 0; i < seqs.size(); ++i) EXPECT_EQ(seqs[i], 20 - seqs.size() + 1 + i) << "newest, in order";
}

}  // namespace
}  // namespace sb_it
