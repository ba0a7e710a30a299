#pragma once
// Shared RapidJSON helpers for code that writes JSON replies and frames.
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <string>
#include <string_view>

#include "core/reading.hpp"

namespace sb {

using json_writer = rapidjson::Writer<rapidjson::StringBuffer>;

inline void write_string(json_writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(json_writer& w, std::string_view k) {
    w.Key(k.data(), static_cast<rapidjson::SizeType>(k.size()));
}

// Writes the reading object itself (no envelope).
void write_reading(json_writer& w, const reading& r);
// Writes the reading's members only, for callers that add their own inside the same object.
void write_reading_members(json_writer& w, const reading& r);
// name, deviceClass and device (those known), for a reading or a sensor.meta message.
void write_meta_members(json_writer& w, const sensor_meta& m);

}  // namespace sb
