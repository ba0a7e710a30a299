// ws_client, what it says and counts in each protocol: bridge frames, raw readings, MQTT
// packets inside WebSocket frames. The transport (connect, handshake, frames, writes) is in
// ws_client.cpp.
#include "ws_client.hpp"

#include "reading_codec.hpp"
#include "ws_worker.hpp"

namespace sb::bench {

void ws_client::on_text(std::string_view msg, std::int64_t now_us) {
    if (w_.opts().protocol == ws_protocol::bridge) return on_bridge(msg, now_us);
    count_reading(msg, now_us);
}

void ws_client::on_bridge(std::string_view msg, std::int64_t now_us) {
    const std::string_view type = frame_type(msg);
    if (type == "sensor.reading") return count_reading(msg, now_us);
    if (type == "connected") {
        if (state_ == state::open && pending_acks_ == 0) subscribe_bridge();
    } else if (type == "subscribed") {
        ack_one();
    } else if (type == "error") {
        ++w_.errors_mut().error_frames;
        ++w_.tally_mut().errors;
        ack_one();  // a refused subscribe is answered by this instead of `subscribed`
    } else if (type.empty()) {
        ++w_.errors_mut().parse;
        ++w_.tally_mut().errors;
    }
}

void ws_client::on_mqtt(const mqtt::packet& p, std::int64_t now_us) {
    switch (p.type()) {
        case mqtt::connack:
            if (p.body.size() < 2 || p.body[1] != 0) {
                ++w_.errors_mut().protocol;
                ++w_.tally_mut().errors;
                return fail("CONNACK refused the connection");
            }
            return subscribe_mqtt();
        case mqtt::suback:
            for (std::size_t i = 2; i < p.body.size(); ++i) {
                if (static_cast<unsigned char>(p.body[i]) == 0x80) {
                    ++w_.errors_mut().protocol;
                    ++w_.tally_mut().errors;
                }
            }
            return ack_one();
        case mqtt::publish: {
            mqtt::publish_view pub;
            if (!mqtt::parse_publish(p, pub)) {
                ++w_.errors_mut().protocol;
                ++w_.tally_mut().errors;
                return;
            }
            if (pub.qos > 0) {
                std::string& s = w_.scratch();
                s.clear();
                mqtt::append_ack(s, pub.qos == 1 ? 0x40 : 0x50, pub.packet_id);
                send_frame(ws::binary, s);
            }
            return count_reading(pub.payload, now_us);
        }
        default: return;  // PINGRESP
    }
}

void ws_client::count_reading(std::string_view json, std::int64_t now_us) {
    std::int64_t value = 0;
    if (!find_value(json, value)) {
        ++w_.errors_mut().parse;
        ++w_.tally_mut().errors;
        return;
    }
    w_.tally_mut().count(value, now_us, w_.run().ready_us.load(std::memory_order_relaxed));
}

void ws_client::subscribe_bridge() {
    const std::vector<std::string> plan = subscription_plan(w_.opts(), index_);
    w_.add_sensor_subscriptions(plan.front() == "*" ? w_.opts().sensors : plan.size());
    pending_acks_ = static_cast<std::uint16_t>(plan.size());
    for (const auto& id : plan) {
        std::string& s = w_.scratch();
        s.clear();
        s.append(R"({"type":"subscribe","id":"s","payload":{"room":"sensor:)").append(id).append(R"("}})");
        send_frame(ws::text, s);
    }
}

void ws_client::subscribe_mqtt() {
    const std::vector<std::string> plan = subscription_plan(w_.opts(), index_);
    w_.add_sensor_subscriptions(plan.front() == "*" ? w_.opts().sensors : plan.size());
    std::vector<std::string> filters;
    for (const auto& id : plan) filters.push_back(w_.opts().topic_prefix + (id == "*" ? "#" : id));
    std::string& s = w_.scratch();
    s.clear();
    mqtt::append_subscribe(s, 1, filters, 0);
    pending_acks_ = 1;
    send_frame(ws::binary, s);
}

void ws_client::ack_one() {
    if (pending_acks_ > 0 && --pending_acks_ == 0) become_ready();
}

void ws_client::become_ready() {
    if (state_ != state::open) return;
    state_ = state::ready;
    if (!settled_) {
        settled_ = true;
        w_.live().ready.fetch_add(1, std::memory_order_relaxed);
    }
}

void ws_client::keepalive(std::uint32_t now_s) {
    if (state_ != state::ready || now_s - last_ping_s_ < w_.opts().keepalive_s / 2u) return;
    last_ping_s_ = now_s;
    send_frame(ws::binary, mqtt::pingreq_bytes);
}

}  // namespace sb::bench
