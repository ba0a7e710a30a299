#include "persist/history_chunk.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <iterator>

#include "core/json_text.hpp"

namespace sb {
namespace {

// The point at p, or false when it is not [uint, int, int, number|bool|string, string].
bool read_point(const rapidjson::Value& p, reading& r) {
    if (!p.IsArray() || p.Size() != 5 || !p[0].IsUint64() || !p[1].IsInt64() || !p[2].IsInt64() || !p[4].IsString())
        return false;
    const rapidjson::Value& v = p[3];
    if (v.IsNumber()) {
        r.value = v.GetDouble();
    } else if (v.IsBool()) {
        r.value = v.GetBool();
    } else if (v.IsString()) {
        r.value = std::string(v.GetString(), v.GetStringLength());
    } else {
        return false;
    }
    r.seq = p[0].GetUint64();
    r.timestamp = p[1].GetInt64();
    r.received_at = p[2].GetInt64();
    r.unit.assign(p[4].GetString(), p[4].GetStringLength());
    return true;
}

}  // namespace

void history_chunk::add(const reading& r) {
    if (points_++ == 0) first_seq_ = r.seq;
    last_seq_ = std::max(last_seq_, r.seq);
    // The point is written into a buffer of its worst-case size, then appended whole.
    const std::size_t bound = 8 + 3 * json_sink::number_bound + json_sink::value_bound(r.value) +
                              json_sink::string_bound(r.unit.size());
    const std::size_t at = text_.size();
    if (text_.capacity() < at + bound) text_.reserve(std::max(at + bound, 2 * text_.capacity()));
    text_.resize(at + bound);
    json_sink w(text_.data() + at);
    w.raw(at == 0 ? std::string_view("[[") : std::string_view(",["));
    w.u64(r.seq);
    w.ch(',');
    w.i64(r.timestamp);
    w.ch(',');
    w.i64(r.received_at);
    w.ch(',');
    w.value(r.value);
    w.ch(',');
    w.string(r.unit);
    w.ch(']');
    text_.resize(static_cast<std::size_t>(w.end() - text_.data()));
}

void history_chunk::add(const reading& r, std::string_view frame, const reading_json_fields& fields) {
    const std::string_view parts[] = {fields.seq.in(frame), fields.timestamp.in(frame), fields.received_at.in(frame),
                                      fields.value.in(frame), fields.unit.size ? fields.unit.in(frame) : "\"\""};
    char buf[512];
    std::size_t size = 2 + 4 + 1;  // "[[" or ",[", four commas, "]"
    for (const std::string_view p : parts) size += p.size();
    if (size > sizeof buf) {
        add(r);
        return;
    }
    if (points_++ == 0) first_seq_ = r.seq;
    last_seq_ = std::max(last_seq_, r.seq);
    char* out = buf;
    const auto put = [&](std::string_view p) {
        std::memcpy(out, p.data(), p.size());
        out += p.size();
    };
    put(text_.empty() ? std::string_view("[[") : std::string_view(",["));
    for (std::size_t i = 0; i < std::size(parts); ++i) {
        if (i > 0) *out++ = ',';
        put(parts[i]);
    }
    *out++ = ']';
    text_.append(buf, static_cast<std::size_t>(out - buf));
}

std::string_view history_chunk::finish() {
    if (!finished_) {
        text_.append(text_.empty() ? "[]" : "]");
        finished_ = true;
    }
    return text_;
}

std::size_t history_chunk::decode(std::string_view json, const std::string& sensor_id,
                                  const std::function<void(reading&)>& on_point, bool& whole) {
    rapidjson::Document doc;
    // Two levels deep by construction: a deeper (damaged) text fails long before RapidJSON's
    // recursion matters, and the iterative parser does not recurse anyway.
    doc.Parse<rapidjson::kParseIterativeFlag | rapidjson::kParseFullPrecisionFlag>(json.data(), json.size());
    whole = !doc.HasParseError() && doc.IsArray();
    if (!whole) return 0;
    std::size_t n = 0;
    reading r;
    for (const auto& p : doc.GetArray()) {
        if (!read_point(p, r)) {
            whole = false;
            continue;
        }
        r.sensor_id = sensor_id;
        r.topic.clear();
        on_point(r);
        ++n;
    }
    return n;
}

}  // namespace sb
