#pragma once
// Sensor timestamps -> integer ms since the epoch. Pure arithmetic: no time_t, no locale, no
// time zone database, so results do not depend on the host (docs/CONVENTIONS.md, docs/PROTOCOL.md §1).
#include <cstdint>
#include <optional>
#include <string_view>

namespace sb::detail {

// Accepted range: 1970-01-01T00:00:00.000Z .. 9999-12-31T23:59:59.999Z.
inline constexpr std::int64_t max_timestamp_ms = 253402300799999;

// Numbers below this are epoch seconds (it is 5138 in seconds, 1973 in ms).
inline constexpr double epoch_seconds_below = 1e11;

// Days from 1970-01-01 to the proleptic Gregorian date; year >= 1, month 1..12.
std::int64_t days_from_civil(int year, int month, int day) noexcept;

// An epoch number in seconds (fractions allowed) or ms, told apart by epoch_seconds_below.
// nullopt when negative, not finite or out of range.
std::optional<std::int64_t> epoch_number_to_ms(double value) noexcept;

// Strict RFC 3339 / ISO-8601: YYYY-MM-DD(T|t| )hh:mm:ss[.fraction](Z|z|±hh:mm|±hhmm).
// The offset is required: a local time cannot be placed without a zone. A fraction keeps ms
// precision (extra digits are truncated). nullopt when malformed or out of range.
std::optional<std::int64_t> parse_iso8601_ms(std::string_view text) noexcept;

// The same shape and field ranges without any offset: a device's local wall-clock time
// (Tasmota's "Time"), well-formed but not placeable on the timeline without its zone.
bool is_iso8601_local_time(std::string_view text) noexcept;

// SenML (RFC 8428 §4.5.3) times are seconds; values below 2^28 are relative to `now_ms`.
std::optional<std::int64_t> senml_time_to_ms(double seconds, std::int64_t now_ms) noexcept;

}  // namespace sb::detail
