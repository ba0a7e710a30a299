// libFuzzer target: the built-in MQTT client's view of the broker (issue 19, finding 6). Every
// byte a broker sends after our CONNECT goes through mqtt_client_protocol::feed, which frames
// it with mqtt_codec::decode and parses what it frames. The harness plays asio_mqtt_source: a
// read buffer of fixed capacity (at least max_packet), filled in chunks, fed, compacted; a
// stop is a dropped connection, and the next bytes belong to a new session.
// Input: 3 bytes of set-up (QoS, max_packet, chunk size), then the broker's byte stream.
// Invariants: feed never consumes more than it is given and always makes progress on a full
// buffer (else the source would stall forever); a delivered PUBLISH lies inside the bytes fed,
// has QoS 0..2 and a topic that fits its packet; every reply is a whole, well-formed packet of
// a type a subscriber may send, and its PUBACKs/PUBRECs answer exactly the delivered QoS 1/2
// PUBLISHes, in order, with their packet ids; the session phases move forward only (one
// on_accepted and at most one on_subscribed a session, granted + refused = the filters).
// Also: decode of any prefix is consistent with its own fields, and a PUBLISH built by
// encode_publish_qos0 from the input decodes back to the same topic and payload.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include "ingest/mqtt_client_protocol.hpp"
#include "ingest/mqtt_codec.hpp"

namespace sb::fuzz {
namespace {

namespace codec = mqtt_codec;

const std::vector<std::string> filters{"sensors/#", "tele/+/SENSOR", "homeassistant/status"};

class recording_events : public mqtt_protocol_events {
public:
    std::string_view fed;  // the bytes of the current feed call
    std::size_t accepted = 0, subscribed = 0;  // this session's
    std::string acks;  // the PUBACK/PUBREC each delivered PUBLISH asks for, encoded

    void on_accepted() override { ++accepted; }
    void on_subscribed(std::size_t granted, std::size_t refused) override {
        ++subscribed;
        FUZZ_CHECK(granted + refused == filters.size(), "granted + refused != the filters subscribed");
    }
    void on_publish(const codec::publish_view& p) override {
        FUZZ_CHECK(p.qos >= 0 && p.qos <= 2, "PUBLISH with QoS 3 delivered");
        FUZZ_CHECK(inside(p.topic) && inside(p.payload), "PUBLISH views outside the bytes fed");
        FUZZ_CHECK(p.topic.size() <= 65535, "topic longer than a u16 length");
        if (p.qos == 1) codec::encode_ack(acks, codec::packet_type::puback, p.packet_id);
        if (p.qos == 2) codec::encode_ack(acks, codec::packet_type::pubrec, p.packet_id);
        if (!p.topic.empty() && !p.payload.empty()) {
            FUZZ_CHECK(p.topic.data() + p.topic.size() <= p.payload.data(), "payload overlaps the topic");
        }
    }
    bool halted() const override { return false; }

private:
    bool inside(std::string_view v) const {
        return v.empty() || (v.data() >= fed.data() && v.data() + v.size() <= fed.data() + fed.size());
    }
};

// Every byte the client would send is a sequence of whole packets of the kinds it sends, and
// its PUBACKs and PUBRECs are exactly those the delivered PUBLISHes asked for, in order.
void check_replies(std::string_view out, const std::string& acks) {
    std::string sent_acks;
    while (!out.empty()) {
        codec::packet p;
        const auto status = codec::decode(out, out.size(), p);
        FUZZ_CHECK(status == codec::decode_status::ok, "a reply is not a whole packet");
        const auto t = p.type();
        FUZZ_CHECK(t == codec::packet_type::connect || t == codec::packet_type::subscribe ||
                       t == codec::packet_type::unsubscribe || t == codec::packet_type::puback ||
                       t == codec::packet_type::pubrec || t == codec::packet_type::pubcomp,
                   "the client sent a packet type it never sends: " + std::to_string(p.header >> 4));
        if (t == codec::packet_type::puback || t == codec::packet_type::pubrec || t == codec::packet_type::pubcomp) {
            FUZZ_CHECK(p.body.size() == 2, "an acknowledgement is not 2 bytes of packet id");
        }
        if (t == codec::packet_type::puback || t == codec::packet_type::pubrec) sent_acks.append(out.substr(0, p.total));
        out.remove_prefix(p.total);
    }
    FUZZ_CHECK(sent_acks == acks, "the acknowledgements sent are not those the PUBLISHes asked for");
}

// decode on its own: what it reports agrees with the bytes it was given.
void check_decode(std::string_view data, std::size_t max_total) {
    codec::packet p;
    switch (codec::decode(data, max_total, p)) {
        case codec::decode_status::ok:
            FUZZ_CHECK(p.total <= data.size() && p.total <= max_total, "ok packet larger than its input");
            FUZZ_CHECK(p.body.data() + p.body.size() == data.data() + p.total, "body does not end the packet");
            FUZZ_CHECK(p.total - p.body.size() >= 2 && p.total - p.body.size() <= 5, "fixed header not 2..5 bytes");
            break;
        case codec::decode_status::too_large: FUZZ_CHECK(p.total > max_total, "too_large within the bound"); break;
        case codec::decode_status::need_more:
            FUZZ_CHECK(data.size() < 5 || p.total > data.size(), "need_more with the packet all there");
            break;
        case codec::decode_status::malformed:
            FUZZ_CHECK(data.size() >= 5, "malformed before the 4 length bytes were seen");
            break;
    }
}

// encode_publish_qos0 and parse_publish are inverses.
void check_publish_round_trip(std::string_view data) {
    const std::size_t split = data.empty() ? 0 : static_cast<unsigned char>(data[0]) % (data.size() + 1);
    const std::string_view topic = data.substr(0, split), payload = data.substr(split);
    std::string wire;
    codec::encode_publish_qos0(wire, topic, payload);
    codec::packet p;
    FUZZ_CHECK(codec::decode(wire, wire.size(), p) == codec::decode_status::ok, "own PUBLISH does not decode");
    FUZZ_CHECK(p.total == wire.size() && p.type() == codec::packet_type::publish, "own PUBLISH framed wrong");
    codec::publish_view v;
    FUZZ_CHECK(codec::parse_publish(p.header, p.body, v), "own PUBLISH does not parse");
    FUZZ_CHECK(v.topic == topic && v.payload == payload && v.qos == 0, "PUBLISH round trip changed it");
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb;
    using namespace sb::fuzz;
    if (size < 3) return 0;
    const int qos = data[0] % 3;
    const std::size_t max_packet = 16 + (static_cast<std::size_t>(data[1]) * 31) % 2048;
    const std::size_t capacity = max_packet + (data[0] >> 2) % 64;  // as asio_mqtt_source: >= max_packet
    const std::size_t chunk = 1 + data[2];
    const std::string_view stream(reinterpret_cast<const char*>(data) + 3, size - 3);
    check_decode(stream, max_packet);
    check_publish_round_trip(stream.substr(0, 300));

    recording_events events;
    mqtt_client_protocol protocol(filters, qos, max_packet, events);
    std::string out;
    std::string buffer;
    buffer.reserve(capacity);
    codec::connect_fields connect;
    connect.client_id = "sensor-bridge-fuzz";
    protocol.begin(connect, out);
    for (std::size_t at = 0; at < stream.size();) {
        const std::size_t n = std::min({chunk, capacity - buffer.size(), stream.size() - at});
        buffer.append(stream.substr(at, n));
        at += n;
        const bool full = buffer.size() == capacity;
        const std::size_t out_before = out.size();
        events.fed = buffer;
        const auto phase_before = protocol.current();
        events.acks.clear();
        const auto r = protocol.feed(buffer, full, out);
        FUZZ_CHECK(r.consumed <= buffer.size(), "consumed more than fed");
        FUZZ_CHECK(r.packets * 2 <= r.consumed, "more packets than 2-byte headers consumed");
        FUZZ_CHECK(r.stop || r.error.empty(), "an error without a stop");
        check_replies(std::string_view(out).substr(out_before), events.acks);
        FUZZ_CHECK(events.accepted <= 1 && events.subscribed <= events.accepted, "phases out of order");
        if (phase_before == mqtt_client_protocol::phase::up) {
            FUZZ_CHECK(r.stop || protocol.current() == mqtt_client_protocol::phase::up, "left the up phase");
        }
        if (r.stop) {  // the connection drops; the rest of the input is a new session
            FUZZ_CHECK(!r.error.empty(), "a stop without a reason while not halted");
            protocol.end();
            buffer.clear();
            out.clear();
            protocol.begin(connect, out);
            events.accepted = events.subscribed = 0;
            continue;
        }
        FUZZ_CHECK(!full || r.consumed > 0, "a full read buffer and no progress: the source would stall");
        buffer.erase(0, r.consumed);
    }
    return 0;
}
