#include "ingest/mqtt_client_protocol.hpp"

#include <algorithm>

#include "core/log.hpp"

namespace sb {

namespace codec = mqtt_codec;

mqtt_client_protocol::mqtt_client_protocol(std::vector<std::string> topics, int qos, std::size_t max_packet,
                                           mqtt_protocol_events& events)
    : topics_(std::move(topics)), qos_(qos), max_packet_(max_packet), events_(events) {}

void mqtt_client_protocol::begin(const codec::connect_fields& f, std::string& out) {
    phase_ = phase::handshake;
    skip_ = 0;
    pending_subacks_ = 0;
    refused_subs_ = 0;
    codec::encode_connect(out, f);
}

void mqtt_client_protocol::end() noexcept {
    phase_ = phase::idle;
    skip_ = 0;
    pending_subacks_ = 0;
}

mqtt_client_protocol::feed_result mqtt_client_protocol::feed(std::string_view data, bool buffer_full,
                                                             std::string& out) {
    feed_result r;
    std::size_t& at = r.consumed;
    while (at < data.size()) {
        if (skip_ > 0) {
            const std::size_t k = std::min(skip_, data.size() - at);
            at += k;
            skip_ -= k;
            continue;
        }
        codec::packet p;
        const std::string_view rest = data.substr(at);
        const auto status = codec::decode(rest, max_packet_, p);
        if (status == codec::decode_status::need_more) break;
        if (status == codec::decode_status::malformed) {
            r.stop = true;
            r.error = "malformed packet from the broker";
            return r;
        }
        if (status == codec::decode_status::too_large) {
            // Deliver what a full buffer holds (the normalizer rejects it as too large, with
            // its topic), then discard the rest of the packet as it arrives.
            if (!buffer_full || at > 0) break;
            if (p.type() == codec::packet_type::publish) deliver(p.header, p.body, true, out);
            skip_ = p.total - rest.size();
            at = data.size();
            break;
        }
        r.error = handle(p, out);
        if (!r.error.empty() || events_.halted()) {
            r.stop = true;
            return r;
        }
        at += p.total;
        ++r.packets;
    }
    return r;
}

std::string mqtt_client_protocol::handle(const codec::packet& p, std::string& out) {
    switch (p.type()) {
        case codec::packet_type::publish: deliver(p.header, p.body, false, out); return {};
        case codec::packet_type::connack: {
            const int rc = codec::parse_connack(p.body);
            if (phase_ != phase::handshake || rc != 0) {
                return std::string("broker refused the connection: ") + codec::connack_reason(rc);
            }
            phase_ = phase::subscribing;
            pending_subacks_ = topics_.size() + extra_.size();
            refused_subs_ = 0;
            // One SUBSCRIBE per filter, so each SUBACK answers for exactly one.
            for (const auto& topic : topics_) codec::encode_subscribe(out, next_id(), topic, qos_);
            for (const auto& topic : extra_) codec::encode_subscribe(out, next_id(), topic, qos_);
            events_.on_accepted();
            if (pending_subacks_ == 0 && !events_.halted()) go_up();
            return {};
        }
        case codec::packet_type::suback: on_suback(p.body); return {};
        case codec::packet_type::pubrel: {  // QoS 2 from a broker that ignored our QoS 1 cap
            std::uint16_t id = 0;
            if (codec::parse_packet_id(p.body, id)) codec::encode_ack(out, codec::packet_type::pubcomp, id);
            return {};
        }
        case codec::packet_type::pingresp:
        case codec::packet_type::puback:
        case codec::packet_type::unsuback: return {};
        default: return "unexpected packet type " + std::to_string(p.header >> 4) + " from the broker";
    }
}

void mqtt_client_protocol::deliver(std::uint8_t header, std::string_view body, bool truncated, std::string& out) {
    codec::publish_view pub;
    if (!codec::parse_publish(header, body, pub)) {
        SB_LOG(warn, "mqtt", truncated ? "oversize message without a readable topic skipped" : "malformed PUBLISH skipped",
               "bytes=" + std::to_string(body.size()));
        return;
    }
    events_.on_publish(pub);
    // Acknowledged once the pipeline has it; the acknowledgements of one read leave in one write.
    if (pub.qos == 1) {
        codec::encode_ack(out, codec::packet_type::puback, pub.packet_id);
    } else if (pub.qos == 2) {
        codec::encode_ack(out, codec::packet_type::pubrec, pub.packet_id);
    }
}

std::uint16_t mqtt_client_protocol::next_id() noexcept {
    if (next_packet_id_ == 0) next_packet_id_ = 1;
    return next_packet_id_++;
}

void mqtt_client_protocol::add_topic(const std::string& topic, std::string& out) {
    if (!extra_.insert(topic).second) return;
    if (phase_ == phase::subscribing) ++pending_subacks_;  // after the CONNACK's batch: one more to wait for
    if (phase_ == phase::subscribing || phase_ == phase::up) codec::encode_subscribe(out, next_id(), topic, qos_);
}

void mqtt_client_protocol::remove_topic(const std::string& topic, std::string& out) {
    if (extra_.erase(topic) == 0) return;
    if (phase_ == phase::subscribing || phase_ == phase::up) codec::encode_unsubscribe(out, next_id(), topic);
}

void mqtt_client_protocol::on_suback(std::string_view body) {
    if (phase_ == phase::up) {  // a run-time add_topic's
        std::uint16_t id = 0;
        std::uint8_t code = 0;
        if (!codec::parse_suback(body, id, code) || code == 0x80) {
            SB_LOG(error, "mqtt", "subscribe refused", "packet_id=" + std::to_string(id));
        }
        return;
    }
    if (phase_ != phase::subscribing) return;
    if (!body.empty()) {
        std::uint16_t id = 0;
        std::uint8_t code = 0;
        if (!codec::parse_suback(body, id, code) || code == 0x80) {
            ++refused_subs_;
            SB_LOG(error, "mqtt", "subscribe refused", "packet_id=" + std::to_string(id));
        }
        if (pending_subacks_ > 0) --pending_subacks_;
    }
    if (pending_subacks_ == 0) go_up();
}

void mqtt_client_protocol::go_up() {
    phase_ = phase::up;
    events_.on_subscribed(topics_.size() + extra_.size() - refused_subs_, refused_subs_);
}

}  // namespace sb
