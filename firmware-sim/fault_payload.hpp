// Bad payloads the bridge must reject harmlessly (docs/CONVENTIONS.md "Rejected").
#pragma once

#include "payload_format.hpp"

#include <array>
#include <cstddef>
#include <string>

namespace sim {

enum class fault_kind { malformed, oversized, non_finite, nested, bad_id, long_string, bad_utf8 };

inline constexpr std::array<fault_kind, 7> k_fault_kinds{
    fault_kind::malformed, fault_kind::oversized, fault_kind::non_finite, fault_kind::nested,
    fault_kind::bad_id,    fault_kind::long_string, fault_kind::bad_utf8};

// Printed name: "malformed", "oversized", "non-finite", "nested", "bad-id", "long-string",
// "bad-utf8".
const char* fault_name(fault_kind kind);

// The bridge's rejectedByReason key for the kind (bridge/normalize/normalizer.hpp):
//   malformed -> invalid_json   oversized -> too_large   non-finite -> non_finite
//   nested -> too_deep          bad-id -> bad_id         long-string, bad-utf8 -> bad_string
const char* bridge_reason(fault_kind kind);

// A bad payload in the shape of `original` where the shape matters (an id, a value, a string
// inside a SenML record, a device object or a Shelly component), generic otherwise:
//   malformed    `original` cut in half (a bare value gets an unclosed object around it)
//   oversized    a canonical object padded to 70 000 bytes (over the 64 KiB limit)
//   non-finite   1e999 as the value (or the metric, SenML v, Shelly field); every other one a
//                bare NaN (a bare sensor alternates -Infinity and NaN; ESPHome always sends
//                its own "nan")
//   nested       10 000 '['
//   bad-id       "bad id/with+chars#*" as sensorId (also bare, ESPHome), SenML n, or metric
//                key; a Shelly's id is its topic's, so there see fault_topic()
//   long-string  a 200-byte string value (SenML vs, Shelly field)
//   bad-utf8     a string value with an invalid UTF-8 sequence (0xC3 0x28)
// `occurrence` counts earlier faults of the same kind, to alternate variants.
// Where the fault goes: the original's topic, except
//   - Shelly bad-id: under a bad device id, "bad*device/events/rpc" (a custom MQTT prefix),
//     since the id comes from the topic;
//   - an ESPHome binary sensor: its object's sensor topic, "<node>/sensor/door/state", since
//     the bridge reads a binary sensor's anything-but-ON/OFF as no_value, not as the fault.
std::string fault_topic(fault_kind kind, const outgoing_message& original);

std::string fault_payload(fault_kind kind, const outgoing_message& original,
                          std::size_t occurrence);

}  // namespace sim
