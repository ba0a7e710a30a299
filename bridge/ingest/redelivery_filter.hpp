#pragma once
// Recognises a QoS 1 or 2 PUBLISH the broker sends again (DUP set) because it never saw the
// bridge's acknowledgement, although the bridge processed the first copy: after a connection
// drop with a persistent session (a fixed --mqtt-client-id). Shared by both MQTT clients: the
// pipeline asks it before normalizing. Bounded: 1024 remembered deliveries. A broker has far
// fewer in flight (mosquitto's max_inflight_messages is 20), and only those come back.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sb {

class redelivery_filter {
public:
    static constexpr std::size_t slots = 1024;

    // Whether this delivery repeats one already processed; remembers it when not. QoS 0 is
    // never a repeat. With its packet id (the built-in client), a DUP is a repeat when that id
    // last came with the same payload. Without one (Paho does not expose it: packet_id 0), a
    // DUP is a repeat when one of the last `slots` QoS 1/2 deliveries had the same topic and
    // payload; a byte-identical message whose first copy was lost is then taken for a repeat.
    // A DUP whose first copy the bridge never got is processed once.
    bool repeat(int qos, std::uint16_t packet_id, bool dup, std::string_view topic, std::uint64_t payload_hash) noexcept {
        if (qos == 0) return false;
        if (packet_id != 0) {
            slot& s = by_id_[packet_id % slots];
            if (dup && s.packet_id == packet_id && s.payload_hash == payload_hash) return true;
            s = {packet_id, payload_hash};
            return false;
        }
        const std::uint64_t h = payload_hash ^ (std::hash<std::string_view>{}(topic) * 0x9e3779b97f4a7c15ULL);
        if (dup) {
            for (std::uint64_t seen : recent_) {
                if (seen == h) return true;
            }
        }
        recent_[next_] = h;
        next_ = (next_ + 1) % slots;
        return false;
    }

private:
    struct slot {
        std::uint16_t packet_id = 0;
        std::uint64_t payload_hash = 0;
    };
    std::array<slot, slots> by_id_{};
    std::array<std::uint64_t, slots> recent_{};
    std::size_t next_ = 0;
};

}  // namespace sb
