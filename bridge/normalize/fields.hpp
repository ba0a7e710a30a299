#pragma once
// Shared building blocks of the payload conventions: reading one field of a parsed JSON value
// into a reading, or saying why it cannot be one. Internal to normalize/.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <rapidjson/document.h>

#include "core/reading.hpp"
#include "normalize/normalizer.hpp"

namespace sb::detail {

// docs/CONVENTIONS.md and docs/PROTOCOL.md §1: a string value (and a unit) is at most 128 bytes.
inline constexpr std::size_t max_string_bytes = 128;

struct failure {
    reject_reason reason;
    std::string detail;
};

// nullopt means "fine, carry on"; otherwise the message is rejected with this failure.
using check = std::optional<failure>;

check fail(reject_reason reason, std::string detail);

// Where the readings of one message go, with the bound on how many it may produce.
struct reading_sink {
    const normalize_input& in;
    std::size_t max_readings;
    std::vector<reading>& out;

    // Validates the id, then appends; too_large once max_readings is reached.
    check add(std::string id, reading_value value, std::string unit, std::int64_t timestamp);
};

std::string_view as_view(const rapidjson::Value& string_value);

check check_id(std::string_view id);

// Length and content rules for a string value or unit.
check check_text(std::string_view text, std::string_view what);

// A number, boolean or string -> value. null, objects and arrays are no_value.
check read_value(const rapidjson::Value& v, reading_value& out);

// "unit": absent or null -> "", a string -> itself, anything else -> bad_string.
check read_unit(const rapidjson::Value& object, std::string& out);

// "timestamp", "ts", "time" or "last_seen" in any case (first present, non-null wins): an epoch
// s/ms number or an ISO-8601 string; absent -> received_at. An ISO-8601 local time without an
// offset is ambiguous, not broken -> received_at. A malformed or out-of-range timestamp rejects
// the message (invalid_json) instead of silently becoming the receive time.
check read_timestamp(const rapidjson::Value& object, std::int64_t received_at, std::int64_t& out);

// One of the timestamp keys above, in any case.
bool is_timestamp_key(std::string_view key) noexcept;

// A member that describes the message or the device, never a measurement, in any case: the
// canonical fields "sensorId" and "unit", and ids and addresses ("id": Tasmota's 1-Wire sensor
// address, Shelly's device id; "src", "dst": Shelly RPC; "device": Zigbee2MQTT's device
// information object). A multi-metric object skips them (docs/CONVENTIONS.md, "Metadata").
bool is_metadata_key(std::string_view key) noexcept;

}  // namespace sb::detail
