#include "core/reading_json.hpp"

#include <cmath>

#include "core/json_writer.hpp"

namespace sb {

void write_reading_members(json_writer& w, const reading& r) {
    write_key(w, "sensorId");
    write_string(w, r.sensor_id);
    write_key(w, "value");
    if (const double* d = std::get_if<double>(&r.value)) {
        // The normalizer only admits finite numbers; guard anyway because Writer fails on NaN.
        if (std::isfinite(*d) && std::trunc(*d) == *d && std::fabs(*d) < 1e15) {
            w.Int64(static_cast<std::int64_t>(*d));  // 5, not 5.0: the same number, as sensors send it
        } else if (std::isfinite(*d)) {
            w.Double(*d);
        } else {
            w.Null();
        }
    } else if (const bool* b = std::get_if<bool>(&r.value)) {
        w.Bool(*b);
    } else {
        write_string(w, std::get<std::string>(r.value));
    }
    if (!r.unit.empty()) {
        write_key(w, "unit");
        write_string(w, r.unit);
    }
    write_key(w, "timestamp");
    w.Int64(r.timestamp);
    write_key(w, "receivedAt");
    w.Int64(r.received_at);
    write_key(w, "seq");
    w.Uint64(r.seq);
    write_key(w, "topic");
    write_string(w, r.topic);
}

void write_reading(json_writer& w, const reading& r) {
    w.StartObject();
    write_reading_members(w, r);
    w.EndObject();
}

std::string reading_to_json(const reading& r) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    write_reading(w, r);
    return {buf.GetString(), buf.GetSize()};
}

std::string reading_frame_json(const reading& r, bool gap) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_key(w, "type");
    write_string(w, "sensor.reading");
    write_key(w, "payload");
    w.StartObject();
    write_reading_members(w, r);
    if (gap) {
        write_key(w, "gap");
        w.Bool(true);
    }
    w.EndObject();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

}  // namespace sb
