#include "store/history_chunk.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>

#include "core/json_writer.hpp"

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

history_chunk::history_chunk() : w_(buf_) { w_.StartArray(); }

void history_chunk::add(const reading& r) {
    if (points_++ == 0) first_seq_ = r.seq;
    last_seq_ = std::max(last_seq_, r.seq);
    w_.StartArray();
    w_.Uint64(r.seq);
    w_.Int64(r.timestamp);
    w_.Int64(r.received_at);
    if (const auto* num = std::get_if<double>(&r.value)) {
        // Whole numbers as integers, as the wire writes them (-0.0 keeps its sign as a double).
        // The normalizer admits finite numbers only; Writer would fail on others.
        const bool whole = std::isfinite(*num) && std::trunc(*num) == *num && std::fabs(*num) < 1e15;
        if (whole && !(*num == 0.0 && std::signbit(*num))) {
            w_.Int64(static_cast<std::int64_t>(*num));
        } else {
            w_.Double(std::isfinite(*num) ? *num : 0.0);
        }
    } else if (const auto* flag = std::get_if<bool>(&r.value)) {
        w_.Bool(*flag);
    } else {
        write_string(w_, std::get<std::string>(r.value));
    }
    write_string(w_, r.unit);
    w_.EndArray();
}

std::string_view history_chunk::finish() {
    if (!finished_) {
        w_.EndArray();
        finished_ = true;
    }
    return {buf_.GetString(), buf_.GetSize()};
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
