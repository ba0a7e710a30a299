#pragma once
// The bench readings on the wire: ids ("b0042"), the canonical payload the publisher writes
// ({"sensorId":"b0042","value":<publish time µs>,"unit":"us"}), and the scanners the receivers
// use to pull the value back out of a payload or a bridge frame without a DOM or allocation.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sb::bench {

// prefix + index zero-padded to 4 digits (more digits when the index needs them).
std::string sensor_id(const std::string& prefix, std::uint32_t index);

// Writes the decimal digits of v (>= 0) at out; returns the count (at most 20).
std::size_t write_uint(char* out, std::uint64_t v) noexcept;

// Longest payload write_payload can produce for an id of id_len bytes.
constexpr std::size_t max_payload_size(std::size_t id_len) noexcept { return id_len + 64; }

// {"sensorId":"<id>","value":<value_us>,"unit":"us"} at out; returns its length.
std::size_t write_payload(char* out, std::string_view id, std::int64_t value_us) noexcept;

// A JSON number at the start of text, as an integer (fractions truncated; 1.7e15 and
// 1795348809123456.0 both work). False when there is no number or it does not fit.
bool parse_json_int(std::string_view text, std::int64_t& out) noexcept;

// The number after the first "value": key in json (the key sits before any string that
// could contain it in both the canonical payload and the bridge's reading frame).
bool find_value(std::string_view json, std::int64_t& out) noexcept;

// The "type" of a bridge frame: the string after its first "type":" key, or empty.
std::string_view frame_type(std::string_view frame) noexcept;

}  // namespace sb::bench
