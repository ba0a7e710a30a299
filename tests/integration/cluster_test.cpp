// Scale-out (docs/SCALING.md): two bridges behind nginx, one mosquitto as the bus. A WebSocket
// client through nginx gets every reading; when the bridge it is on is killed, it reconnects
// through nginx to the other one and its snapshot holds the latest values, then live ones.
// A client that keeps each bridge's instance resumes with `since` only on the bridge that gave
// the seqs. A bridge started after retained readings were published fills its cache from them.
#include <gtest/gtest.h>

#include <signal.h>

#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "support/bridge_fixture.hpp"
#include "support/bridge_test.hpp"
#include "support/log_file.hpp"
#include "support/nginx_proxy.hpp"
#include "support/prometheus_text.hpp"

namespace sb_it {
namespace {

const std::vector<std::string> sensors{"c-1", "c-2", "c-3"};

std::string value_of(int round, std::size_t sensor) { return std::to_string(round) + "." + std::to_string(sensor + 1); }

class cluster : public ::testing::Test {
protected:
    void SetUp() override {
        if (!std::filesystem::exists(nginx_binary)) GTEST_SKIP() << "no " << nginx_binary << " (scripts/setup.sh installs nginx)";
        std::filesystem::create_directories(dir_ / "web");
        write_file(dir_ / "web" / "index.html", "<!doctype html><title>sb-it</title>" + index_html_marker + "\n");
        broker_ = std::make_unique<mosquitto_broker>(dir_.path());
        bridges_.push_back(start("a"));
        bridges_.push_back(start("b"));
        nginx_ = std::make_unique<nginx_proxy>(dir_.path(),
                                               std::vector<std::uint16_t>{bridges_[0]->http_port(), bridges_[1]->http_port()});
        publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
    }

    void TearDown() override {
        if (HasFailure()) {
            for (const auto& b : bridges_) std::cerr << "---- " << b->log_path() << " ----\n" << b->log_tail(25);
            if (nginx_) std::cerr << "---- nginx error log ----\n" << nginx_->log_tail(20);
            if (broker_) std::cerr << "---- mosquitto log ----\n" << broker_->log_tail(10);
        }
        publisher_.reset();
        nginx_.reset();
        bridges_.clear();
        broker_.reset();
    }

    std::unique_ptr<bridge_process> start(const std::string& name) {
        bridge_config c;
        c.mqtt_port = broker_->port();
        c.db = dir_ / (name + ".db");
        c.web_root = dir_ / "web";
        auto b = std::make_unique<bridge_process>(dir_.path(), c, name);
        EXPECT_TRUE(b->wait_mqtt_connected(10000ms)) << name << " never connected to the broker";
        return b;
    }

    void publish_round(int round) {
        for (std::size_t i = 0; i < sensors.size(); ++i) publisher_->publish("sensors/" + sensors[i], value_of(round, i));
    }

    // The client's readings of this round, one per sensor, in any order.
    void expect_round(ws_test_client& c, int round, const char* what) {
        std::vector<bool> seen(sensors.size(), false);
        for (std::size_t n = 0; n < sensors.size(); ++n) {
            const auto f = c.wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 10000ms);
            ASSERT_TRUE(f) << what << ": reading " << n << " of round " << round << " missing";
            const json_doc d(*f);
            const std::string id = d.str("/payload/sensorId").value_or("");
            for (std::size_t i = 0; i < sensors.size(); ++i) {
                if (id != sensors[i]) continue;
                EXPECT_EQ(d.number("/payload/value"), std::stod(value_of(round, i))) << what << ": stale value " << *f;
                seen[i] = true;
            }
        }
        for (std::size_t i = 0; i < sensors.size(); ++i) EXPECT_TRUE(seen[i]) << what << ": no reading of " << sensors[i];
    }

    double connections_on(std::size_t bridge) {
        return scrape(bridges_[bridge]->http_port(), "sensor_bridge_ws_connections").value_or(-1);
    }

    std::string same_origin() const { return "http://127.0.0.1:" + std::to_string(nginx_->port()); }

    std::string instance_of(std::size_t bridge) {
        return json_doc(http_get(bridges_[bridge]->http_port(), "/api/health").body).str("/instance").value_or("");
    }

    // Whether every bridge's latest reading of every sensor is this round's.
    bool everyone_has(int round) {
        for (const auto& b : bridges_) {
            for (std::size_t i = 0; i < sensors.size(); ++i) {
                const json_doc d(http_get(b->http_port(), "/api/sensors/" + sensors[i]).body);
                if (d.number("/value") != std::stod(value_of(round, i))) return false;
            }
        }
        return true;
    }

    // Connects through nginx until a connection lands on the bridge whose `connected` names
    // `instance`; those that land elsewhere stay open in `held`, so least_conn sends the next
    // attempt to the other bridge. The returned client's welcome has been taken.
    std::unique_ptr<ws_test_client> connect_through_nginx_to(const std::string& instance,
                                                             std::vector<std::unique_ptr<ws_test_client>>& held) {
        for (int attempt = 0; attempt < 8; ++attempt) {
            auto c = std::make_unique<ws_test_client>();
            if (!c->connect(nginx_->port(), "/ws", same_origin())) continue;
            const auto welcome =
                c->wait_for([](const std::string& f) { return is_frame_type(f, "connected"); }, 5000ms);
            if (welcome && json_doc(*welcome).str("/payload/instance") == instance) return c;
            held.push_back(std::move(c));
        }
        return nullptr;
    }

    temp_dir dir_;
    std::unique_ptr<mosquitto_broker> broker_;
    std::vector<std::unique_ptr<bridge_process>> bridges_;
    std::unique_ptr<nginx_proxy> nginx_;
    std::unique_ptr<mqtt_publisher> publisher_;
};

TEST_F(cluster, rest_static_files_and_the_origin_check_work_through_nginx) {
    const http_response health = http_get(nginx_->port(), "/api/health");
    EXPECT_EQ(health.status, 200) << health.body;
    EXPECT_FALSE(health.header("x-sensor-bridge-upstream").empty());
    const http_response page = http_get(nginx_->port(), "/");
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find(index_html_marker), std::string::npos) << page.body;
    // nginx passes the browser's Host (with its port): a same-origin page may open /ws ...
    ws_test_client same;
    EXPECT_TRUE(same.connect(nginx_->port(), "/ws", same_origin())) << same.handshake_status();
    // ... and a page from elsewhere still may not.
    ws_test_client foreign;
    EXPECT_FALSE(foreign.connect(nginx_->port(), "/ws", "http://evil.example"));
    EXPECT_EQ(foreign.handshake_status(), 403);
}

TEST_F(cluster, a_client_fails_over_to_the_other_bridge_with_a_fresh_snapshot) {
    auto client = std::make_unique<ws_test_client>();
    ASSERT_TRUE(client->connect(nginx_->port(), "/ws", same_origin())) << client->handshake_status();
    ASSERT_TRUE(client->wait_for([](const std::string& f) { return is_frame_type(f, "connected"); }, 5000ms));
    client->send(subscribe_json("sensor:*"));
    ASSERT_TRUE(client->wait_for([](const std::string& f) { return is_frame_type(f, "subscribed"); }, 5000ms));

    publish_round(1);
    expect_round(*client, 1, "through nginx");
    // The broker is the bus: both bridges have every reading, whichever one the client is on.
    for (const auto& b : bridges_) {
        EXPECT_TRUE(wait_until([&] { return json_doc(http_get(b->http_port(), "/api/sensors").body).size("") == 3; },
                               5000ms))
            << b->log_path();
    }

    // Which bridge holds the connection: the one whose gauge says 1.
    ASSERT_TRUE(wait_until([&] { return connections_on(0) + connections_on(1) == 1; }, 5000ms));
    const std::size_t on = connections_on(0) == 1 ? 0 : 1;
    const std::size_t other = 1 - on;

    const auto killed_at = steady::now();
    bridges_[on]->process().send_signal(SIGKILL);
    ASSERT_TRUE(client->wait_closed(10000ms)) << "nginx did not close the client when its bridge died";
    const auto closed_at = steady::now();

    // Readings published while the client is away must be what its snapshot shows.
    publish_round(2);
    ASSERT_TRUE(wait_until(
        [&] {
            const json_doc d(http_get(bridges_[other]->http_port(), "/api/sensors/c-3").body);
            return d.number("/value") == std::stod(value_of(2, 2));
        },
        10000ms));

    // The client reconnects through nginx, as the dashboard does, until it is in.
    const auto reconnect_started = steady::now();
    std::unique_ptr<ws_test_client> again;
    ASSERT_TRUE(wait_until(
        [&] {
            again = std::make_unique<ws_test_client>();
            return again->connect(nginx_->port(), "/ws", same_origin(), 2000ms);
        },
        15000ms, 100ms))
        << "no reconnect through nginx; last status " << again->handshake_status();
    ASSERT_TRUE(again->wait_for([](const std::string& f) { return is_frame_type(f, "connected"); }, 5000ms));
    again->send(subscribe_json("sensor:*"));
    ASSERT_TRUE(again->wait_for([](const std::string& f) { return is_frame_type(f, "subscribed"); }, 5000ms));
    expect_round(*again, 2, "snapshot after failover");
    const auto resumed_at = steady::now();
    EXPECT_EQ(connections_on(other), 1.0) << "the client should be on the surviving bridge";

    publish_round(3);
    expect_round(*again, 3, "live after failover");
    const auto live_at = steady::now();

    auto ms_between = [](steady::time_point a, steady::time_point b) {
        return std::chrono::duration<double, std::milli>(b - a).count();
    };
    // For docs/SCALING.md: how long each step of a failover took on this machine.
    std::cout << "[ cluster  ] kill -> client closed " << ms_between(killed_at, closed_at)
              << " ms; reconnect + subscribe + snapshot " << ms_between(reconnect_started, resumed_at)
              << " ms; publish -> live reading " << ms_between(resumed_at, live_at) << " ms\n";
    RecordProperty("kill_to_close_us", static_cast<int>(1000 * ms_between(killed_at, closed_at)));
    RecordProperty("reconnect_to_snapshot_us", static_cast<int>(1000 * ms_between(reconnect_started, resumed_at)));
}

// What a client keeps to resume: the last seq of each sensor, per instance that gave it.
using seq_book = std::map<std::string, std::map<std::string, std::uint64_t>>;

// Subscribes to each sensor's exact room, with `since` where `seqs` has the sensor, then pings:
// the readings that come before the pong are exactly what the subscribes sent.
std::vector<json_doc> subscribe_rooms(ws_test_client& c, const std::map<std::string, std::uint64_t>* seqs) {
    for (const std::string& id : sensors) {
        std::string payload = R"({"room":"sensor:)" + id + "\"";
        if (seqs && seqs->count(id)) payload += ",\"since\":" + std::to_string(seqs->at(id));
        c.send(R"({"type":"subscribe","payload":)" + payload + "}}");
    }
    c.send(R"({"type":"ping","id":"end"})");
    std::deque<std::string> before;
    EXPECT_TRUE(c.wait_for([](const std::string& f) { return is_frame_type(f, "pong"); }, 5000ms, before)) << "no pong";
    std::vector<json_doc> readings;
    std::size_t acks = 0;
    for (const auto& f : before) {
        EXPECT_FALSE(is_frame_type(f, "error")) << f;
        if (is_frame_type(f, "subscribed")) ++acks;
        if (is_frame_type(f, "sensor.reading")) readings.emplace_back(f);
    }
    EXPECT_EQ(acks, sensors.size());
    return readings;
}

// Issue 19: a client on bridge A keeps A's instance with its seqs. Its connection drops (both
// bridges stay up and receive everything) and nginx puts it on B: another instance, so it
// subscribes without `since` and gets B's latest values. When it lands on A again, the same
// instance, it subscribes with its seqs from A and gets exactly the readings A took meanwhile,
// oldest first, no duplicate, no gap; then live ones.
TEST_F(cluster, a_client_resumes_with_since_only_on_the_bridge_that_gave_its_seqs) {
    const std::string a = instance_of(0), b = instance_of(1);
    ASSERT_EQ(a.size(), 32u) << "no instance in /api/health: '" << a << "'";
    ASSERT_NE(a, b) << "two databases, two instances";
    seq_book book;
    std::vector<std::unique_ptr<ws_test_client>> held;

    auto on_a = connect_through_nginx_to(a, held);
    ASSERT_TRUE(on_a) << "no connection through nginx landed on bridge a";
    EXPECT_TRUE(subscribe_rooms(*on_a, nullptr).empty()) << "no readings yet";
    publish_round(1);
    for (std::size_t n = 0; n < sensors.size(); ++n) {
        const auto f = on_a->wait_for([](const std::string& x) { return is_frame_type(x, "sensor.reading"); }, 5000ms);
        ASSERT_TRUE(f) << "round 1 reading " << n << " missing";
        const json_doc d(*f);
        book[a][d.str("/payload/sensorId").value_or("")] = d.uint("/payload/seq").value_or(0);
    }
    ASSERT_EQ(book[a].size(), sensors.size());

    on_a->close();
    held.clear();
    ASSERT_TRUE(on_a->wait_closed(5000ms));
    publish_round(2);  // while the client is away: both bridges take it
    ASSERT_TRUE(wait_until([&] { return everyone_has(2); }, 10000ms));

    auto on_b = connect_through_nginx_to(b, held);
    ASSERT_TRUE(on_b) << "no connection through nginx landed on bridge b";
    ASSERT_EQ(book.count(b), 0u) << "no seq from b yet: no since";
    const auto snapshot = subscribe_rooms(*on_b, book.count(b) ? &book[b] : nullptr);
    ASSERT_EQ(snapshot.size(), sensors.size()) << "one latest reading per sensor";
    for (std::size_t i = 0; i < sensors.size(); ++i) {
        const json_doc& d = snapshot[i];
        EXPECT_EQ(d.str("/payload/sensorId"), sensors[i]) << d.text();
        EXPECT_EQ(d.number("/payload/value"), std::stod(value_of(2, i))) << "b's latest: " << d.text();
        EXPECT_FALSE(d.has("/payload/gap")) << d.text();
        book[b][sensors[i]] = d.uint("/payload/seq").value_or(0);
    }
    publish_round(3);  // live from b; a takes it too
    expect_round(*on_b, 3, "live on b");
    ASSERT_TRUE(wait_until([&] { return everyone_has(3); }, 10000ms));

    on_b->close();
    held.clear();
    ASSERT_TRUE(on_b->wait_closed(5000ms));
    auto back = connect_through_nginx_to(a, held);
    ASSERT_TRUE(back) << "no connection through nginx landed on bridge a again";
    ASSERT_EQ(book.count(a), 1u) << "the seqs a gave: since";
    const auto replay = subscribe_rooms(*back, book.count(a) ? &book[a] : nullptr);
    ASSERT_EQ(replay.size(), 2 * sensors.size()) << "rounds 2 and 3 of each sensor, nothing else";
    for (std::size_t i = 0; i < sensors.size(); ++i) {
        for (int k = 0; k < 2; ++k) {
            const json_doc& d = replay[2 * i + static_cast<std::size_t>(k)];
            EXPECT_EQ(d.str("/payload/sensorId"), sensors[i]) << d.text();
            EXPECT_EQ(d.uint("/payload/seq"), book[a][sensors[i]] + 1 + static_cast<std::uint64_t>(k)) << d.text();
            EXPECT_EQ(d.number("/payload/value"), std::stod(value_of(2 + k, i))) << d.text();
            EXPECT_FALSE(d.has("/payload/gap")) << d.text();
        }
    }
    publish_round(4);
    expect_round(*back, 4, "live on a after the resume");
}

TEST_F(cluster, a_bridge_started_later_fills_its_cache_from_retained_messages) {
    publisher_->publish("sensors/r-1", "21.5", 1, true);
    publisher_->publish("sensors/r-2", R"({"value":40,"unit":"%","timestamp":1795000000123})", 1, true);
    publisher_->publish("sensors/r-1", "22.5", 1, true);  // the broker keeps only the newest
    auto late = start("late");
    ASSERT_FALSE(HasFailure());
    EXPECT_TRUE(wait_until(
        [&] {
            const json_doc r1(http_get(late->http_port(), "/api/sensors/r-1").body);
            const json_doc r2(http_get(late->http_port(), "/api/sensors/r-2").body);
            return r1.number("/value") == 22.5 && r2.number("/value") == 40.0;
        },
        10000ms))
        << late->log_tail();
    const json_doc r2(http_get(late->http_port(), "/api/sensors/r-2").body);
    EXPECT_EQ(r2.uint("/timestamp"), 1795000000123u) << "the sensor's own time, not the late receive time";
    bridges_.push_back(std::move(late));
}

}  // namespace
}  // namespace sb_it
