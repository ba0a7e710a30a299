#include "wire/dead_letter.hpp"

#include "core/json_writer.hpp"
#include "core/utf8_excerpt.hpp"

namespace sb {

std::string dead_letter_json(const dead_letter& d, std::size_t max_payload_bytes) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_key(w, "reason");
    write_string(w, d.reason);
    write_key(w, "detail");
    write_string(w, utf8_excerpt(d.detail, 256));
    write_key(w, "topic");
    write_string(w, utf8_excerpt(d.topic, 1024));
    write_key(w, "receivedAt");
    w.Int64(d.received_at);
    write_key(w, "size");
    w.Uint64(d.payload.size());
    write_key(w, "payload");
    write_string(w, utf8_excerpt(d.payload, max_payload_bytes));
    write_key(w, "truncated");
    w.Bool(d.payload.size() > max_payload_bytes);
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

}  // namespace sb
