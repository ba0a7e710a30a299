#include "wire/reading_json.hpp"

#include <cmath>
#include <string_view>

#include "core/json_text.hpp"
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
    if (r.retained) {
        write_key(w, "retained");
        w.Bool(true);
    }
    if (r.meta) write_meta_members(w, *r.meta);
}

void write_meta_members(json_writer& w, const sensor_meta& m) {
    if (!m.name.empty()) {
        write_key(w, "name");
        write_string(w, m.name);
    }
    if (!m.device_class.empty()) {
        write_key(w, "deviceClass");
        write_string(w, m.device_class);
    }
    if (m.device_id.empty() && m.device_name.empty()) return;
    write_key(w, "device");
    w.StartObject();
    if (!m.device_id.empty()) {
        write_key(w, "id");
        write_string(w, m.device_id);
    }
    if (!m.device_name.empty()) {
        write_key(w, "name");
        write_string(w, m.device_name);
    }
    w.EndObject();
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

namespace {

std::size_t meta_bound(const sensor_meta* m) {
    if (m == nullptr) return 0;
    return 64 + json_sink::string_bound(m->name.size()) + json_sink::string_bound(m->device_class.size()) +
           json_sink::string_bound(m->device_id.size()) + json_sink::string_bound(m->device_name.size());
}

void meta_json(json_sink& w, const sensor_meta& m) {
    if (!m.name.empty()) {
        w.raw(R"(,"name":)");
        w.string(m.name);
    }
    if (!m.device_class.empty()) {
        w.raw(R"(,"deviceClass":)");
        w.string(m.device_class);
    }
    if (m.device_id.empty() && m.device_name.empty()) return;
    w.raw(R"(,"device":{)");
    if (!m.device_id.empty()) {
        w.raw(R"("id":)");
        w.string(m.device_id);
    }
    if (!m.device_name.empty()) {
        w.raw(m.device_id.empty() ? std::string_view(R"("name":)") : std::string_view(R"(,"name":)"));
        w.string(m.device_name);
    }
    w.raw("}");
}

// The hot serializer: once per reading, into one buffer sized up front. reading_json_test
// checks it against the RapidJSON writer above, byte for byte.
std::string frame_json(const reading& r, bool gap, reading_json_fields* fields) {
    static constexpr std::string_view head = R"({"type":"sensor.reading","payload":{"sensorId":)";
    const std::size_t bound = head.size() + 96 + json_sink::string_bound(r.sensor_id.size()) +
                              json_sink::value_bound(r.value) + json_sink::string_bound(r.unit.size()) +
                              3 * json_sink::number_bound + 16 + json_sink::string_bound(r.topic.size()) +
                              meta_bound(r.meta.get());
    std::string out(bound, ' ');
    json_sink w(out.data());
    reading_json_fields ignored;
    reading_json_fields& at = fields ? *fields : ignored;
    const auto mark = [&](reading_json_fields::span& span, auto&& write) {
        span.at = static_cast<std::uint32_t>(w.end() - out.data());
        write();
        span.size = static_cast<std::uint32_t>(w.end() - out.data()) - span.at;
    };
    w.raw(head);
    w.string(r.sensor_id);
    w.raw(R"(,"value":)");
    mark(at.value, [&] { w.value(r.value); });
    at.unit = {};
    if (!r.unit.empty()) {
        w.raw(R"(,"unit":)");
        mark(at.unit, [&] { w.string(r.unit); });
    }
    w.raw(R"(,"timestamp":)");
    mark(at.timestamp, [&] { w.i64(r.timestamp); });
    w.raw(R"(,"receivedAt":)");
    mark(at.received_at, [&] { w.i64(r.received_at); });
    w.raw(R"(,"seq":)");
    mark(at.seq, [&] { w.u64(r.seq); });
    w.raw(R"(,"topic":)");
    w.string(r.topic);
    if (r.retained) w.raw(R"(,"retained":true)");
    if (r.meta) meta_json(w, *r.meta);
    w.raw(gap ? std::string_view(R"(,"gap":true}})") : std::string_view("}}"));
    out.resize(static_cast<std::size_t>(w.end() - out.data()));
    return out;
}

}  // namespace

std::string reading_message_json(const reading& r, bool gap) { return frame_json(r, gap, nullptr); }

std::string reading_message_json(const reading& r, reading_json_fields& fields) { return frame_json(r, false, &fields); }

}  // namespace sb
