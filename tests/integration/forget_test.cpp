// Forgetting sensors (docs/PROTOCOL.md §6 DELETE /api/sensors/{id}, docs/CONFIGURATION.md
// --forget-after): the sensor's latest value, history and status go, in memory and on disk,
// its subscribers are told, and only the right peers may ask.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <string>
#include <vector>

#include "support/auth_tokens.hpp"
#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

bool is_removed_of(const std::string& frame, const std::string& id) {
    return frame == R"({"type":"sensor.removed","payload":{"sensorId":")" + id + "\"}}";
}

class forget : public bridge_test {
protected:
    http_response del(const std::string& id, const header_list& headers = {}) const {
        return http_request(port(), "DELETE", "/api/sensors/" + id, headers);
    }
};

TEST_F(forget, a_loopback_delete_removes_the_sensor_tells_its_room_and_survives_a_restart) {
    for (const char* v : {"1", "2"}) publish("sensors/gone-1", v);
    publish("sensors/kept-1", "5");
    ASSERT_TRUE(wait_for_seq("gone-1", 2));
    ASSERT_TRUE(wait_for_seq("kept-1", 1));
    auto c = connect_client();
    subscribe(*c, "sensor:gone-1");

    // Through a proxy on this machine (its forwarding header): not this machine's user.
    EXPECT_EQ(del("gone-1", {{"X-Forwarded-For", "192.0.2.7"}}).status, 403);
    EXPECT_EQ(del("gone-1", {{"Forwarded", "for=192.0.2.7"}}).status, 403);
    EXPECT_EQ(get("/api/sensors/gone-1").status, 200);

    const http_response r = del("gone-1");
    ASSERT_EQ(r.status, 204) << r.body;
    const auto removed = c->wait_for([](const std::string& f) { return is_removed_of(f, "gone-1"); }, 3000ms);
    EXPECT_TRUE(removed) << "the room was not told";
    EXPECT_EQ(get("/api/sensors/gone-1").status, 404);
    EXPECT_EQ(get("/api/sensors/gone-1/history").status, 404);
    EXPECT_EQ(del("gone-1").status, 404);
    EXPECT_EQ(get_json("/api/sensors").size(""), 1u);

    ASSERT_TRUE(bridge_->terminate(2000ms));
    start_bridge("bridge-restarted");
    EXPECT_EQ(get("/api/sensors/gone-1").status, 404) << "a forgotten sensor came back from the database";
    EXPECT_EQ(get_json("/api/sensors/kept-1").uint("/seq"), 1u);

    publish("sensors/gone-1", "3");  // it speaks again: a new sensor
    ASSERT_TRUE(wait_for_seq("gone-1", 1));
    EXPECT_EQ(get_json("/api/sensors/gone-1/history").size(""), 1u) << "nothing of the old history";
}

class forget_with_tokens : public forget {
protected:
    void SetUp() override {
        write_file(tokens(), token_file_text() + "token " + admin_token + " scope=admin\n");
        ::chmod(tokens().c_str(), 0600);
        bridge_test::SetUp();
    }
    std::vector<std::string> bridge_args() const override { return {"--token-file", tokens().string()}; }
    std::filesystem::path tokens() const { return dir_ / "tokens"; }
    http_response get_as(const std::string& target, const std::string& token) const {
        return http_request(port(), "GET", target, {{"Authorization", "Bearer " + token}});
    }
    const std::string admin_token = "it-admin-token-0123456789";
};

TEST_F(forget_with_tokens, only_a_token_with_the_admin_scope_may_delete) {
    publish("sensors/gone-2", "1");
    ASSERT_TRUE(wait_until([&] { return get_as("/api/sensors/gone-2", all_rooms_token).status == 200; }, 5000ms));
    EXPECT_EQ(del("gone-2").status, 401) << "no token, even from loopback";
    EXPECT_EQ(del("gone-2", {{"Authorization", "Bearer " + all_rooms_token}}).status, 403) << "a reader's token";
    EXPECT_EQ(del("gone-2", {{"Authorization", "Bearer " + jwt(60)}}).status, 403) << "a JWT without the scope";
    EXPECT_EQ(get_as("/api/sensors/gone-2", all_rooms_token).status, 200);
    EXPECT_EQ(del("gone-2", {{"Authorization", "Bearer " + admin_token}}).status, 204);
    EXPECT_EQ(get_as("/api/sensors/gone-2", all_rooms_token).status, 404);
    publish("sensors/gone-3", "1");
    ASSERT_TRUE(wait_until([&] { return get_as("/api/sensors/gone-3", all_rooms_token).status == 200; }, 5000ms));
    EXPECT_EQ(del("gone-3", {{"Authorization", "Bearer " + jwt(60, R"(,"scope":"admin")")}}).status, 204);
}

class forget_after : public forget {
protected:
    std::vector<std::string> bridge_args() const override { return {"--forget-after", "1s"}; }
};

TEST_F(forget_after, a_sensor_silent_that_long_is_forgotten_and_its_room_told) {
    auto c = connect_client();
    subscribe(*c, "sensor:quiet-1");
    publish("sensors/quiet-1", "1");
    ASSERT_TRUE(c->wait_for([](const std::string& f) { return is_frame_type(f, "sensor.reading"); }, 3000ms));
    const auto removed = c->wait_for([](const std::string& f) { return is_removed_of(f, "quiet-1"); }, 5000ms);
    EXPECT_TRUE(removed) << "never forgotten";
    EXPECT_EQ(get("/api/sensors/quiet-1").status, 404);
    EXPECT_NE(bridge_->log_tail().find("silent sensors forgotten"), std::string::npos) << bridge_->log_tail();
}

}  // namespace
}  // namespace sb_it
