#include "support/bridge_test.hpp"

#include <iostream>

#include "support/log_file.hpp"

namespace sb_it {

void bridge_test::SetUp() {
    std::filesystem::create_directories(dir_ / "web");
    write_file(dir_ / "web" / "index.html",
               "<!doctype html><html><head><title>sb-it</title></head><body>" + index_html_marker +
                   "</body></html>\n");
    broker_ = std::make_unique<mosquitto_broker>(dir_.path(), std::nullopt, persistent_broker());
    start_bridge();
    publisher_ = std::make_unique<mqtt_publisher>(broker_->port());
}

void bridge_test::TearDown() {
    if (HasFailure()) {
        if (previous_bridge_) std::cerr << "---- first bridge log (tail) ----\n" << previous_bridge_->log_tail(30);
        if (bridge_) std::cerr << "---- bridge log (tail) ----\n" << bridge_->log_tail(40);
        if (broker_) std::cerr << "---- mosquitto log (tail) ----\n" << broker_->log_tail(10);
    }
    publisher_.reset();
    bridge_.reset();
    previous_bridge_.reset();
    broker_.reset();
}

bridge_config bridge_test::config() const {
    bridge_config c;
    c.mqtt_port = broker_->port();
    c.db = dir_ / "bridge.db";
    if (with_web_root()) c.web_root = dir_ / "web";
    c.extra_args = bridge_args();
    c.env = bridge_env();
    return c;
}

void bridge_test::start_bridge(const std::string& name) {
    if (bridge_) previous_bridge_ = std::move(bridge_);
    bridge_ = std::make_unique<bridge_process>(dir_.path(), config(), name);
    ASSERT_TRUE(bridge_->wait_mqtt_connected()) << "bridge never reported mqtt connected on /api/health";
}

void bridge_test::publish(const std::string& topic, const std::string& payload, int qos) {
    publisher_->publish(topic, payload, qos);
}

http_response bridge_test::get(const std::string& target) const { return http_get(port(), target); }

json_doc bridge_test::get_json(const std::string& target) const { return json_doc(get(target).body); }

json_doc bridge_test::stats() const { return get_json("/api/stats"); }

bool bridge_test::wait_for_seq(const std::string& sensor_id, std::uint64_t seq, ms timeout) const {
    return wait_until(
        [&] {
            const http_response r = get("/api/sensors/" + sensor_id);
            return r.status == 200 && json_doc(r.body).uint("/seq").value_or(0) >= seq;
        },
        timeout, 10ms);
}

std::unique_ptr<ws_test_client> bridge_test::connect_client() {
    auto c = std::make_unique<ws_test_client>();
    EXPECT_TRUE(c->connect(port())) << "WebSocket handshake failed, status " << c->handshake_status();
    const auto welcome = c->next_frame(2000ms);
    EXPECT_TRUE(welcome && is_frame_type(*welcome, "connected")) << "first frame: " << welcome.value_or("<none>");
    return c;
}

void bridge_test::subscribe(ws_test_client& c, const std::string& room, const std::string& id) {
    c.send(subscribe_json(room, id));
    const auto ack = c.wait_for([](const std::string& f) { return is_frame_type(f, "subscribed"); }, 2000ms);
    ASSERT_TRUE(ack) << "no subscribed ack for " << room;
    EXPECT_EQ(json_doc(*ack).str("/payload/room"), room);
}

namespace {

std::string room_message(const std::string& type, const std::string& room, const std::string& id) {
    std::string text = R"({"type":")" + type + '"';
    if (!id.empty()) text += R"(,"id":")" + id + '"';
    return text + R"(,"payload":{"room":")" + room + R"("}})";
}

}  // namespace

std::string subscribe_json(const std::string& room, const std::string& id) {
    return room_message("subscribe", room, id);
}

std::string unsubscribe_json(const std::string& room, const std::string& id) {
    return room_message("unsubscribe", room, id);
}

}  // namespace sb_it
