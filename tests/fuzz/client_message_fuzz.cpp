// libFuzzer target: WebSocket client messages (issue 4, "Bad input"; docs/PROTOCOL.md §3). Whatever a
// browser sends, parse_client_message returns; a room it yields goes through room::parse; and
// every reply the endpoint would build (pong, subscribed/unsubscribed, error) is valid JSON that
// conforms to ws-server-message.schema.json. Rooms the bridge accepts and the client schema's
// room pattern must agree. Input: the text frame as received.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

#include "core/json_writer.hpp"
#include "core/sensor_id.hpp"
#include "fuzz_check.hpp"
#include "wire/client_message.hpp"
#include "wire/server_messages.hpp"
#include "hub/room.hpp"

namespace sb::fuzz {
namespace {

// The canonical form of a parsed room request, as a well-behaved client would send it.
std::string room_request_json(const client_message& m) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_key(w, "type");
    write_string(w, m.type == client_message_type::subscribe ? "subscribe" : "unsubscribe");
    if (!m.id.empty()) {
        write_key(w, "id");
        write_string(w, m.id);
    }
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "room");
    write_string(w, m.room);
    w.EndObject();
    w.EndObject();
    return {buf.GetString(), buf.GetSize()};
}

void check_room_request(const client_message& m) {
    const auto r = room::parse(m.room);
    const std::string request = room_request_json(m);
    const bool schema_accepts = schemas().validate("ws-client-message.schema.json", request).valid;
    if (!r) {
        check_wire_json(error_json(client_error::bad_room, "bad room", m.id),
                        "ws-server-message.schema.json");
        // RapidJSON's pattern matching stops at a NUL; ajv's would not, so skip those. The schema
        // counts characters where the bridge counts bytes: only ASCII rooms must agree both ways.
        const bool ascii = std::all_of(m.room.begin(), m.room.end(), [](char c) { return (c & 0x80) == 0; });
        if (m.room.find('\0') == std::string::npos && ascii) {
            FUZZ_CHECK(!schema_accepts, "client schema admits a room the bridge rejects: " + request);
        }
        return;
    }
    FUZZ_CHECK(r->name() == m.room, "room name changed");
    FUZZ_CHECK(r->key().size() <= max_sensor_id_length, "room key too long");
    FUZZ_CHECK(r->is_prefix() ? is_valid_sensor_id_prefix(r->key()) : is_valid_sensor_id(r->key()), "bad room key");
    if (!r->is_prefix()) FUZZ_CHECK(r->matches(r->key()), "exact room does not match its id");
    if (r->is_prefix() && !r->key().empty()) {
        FUZZ_CHECK(r->matches(r->key() + "x"), "prefix room does not match a longer id");
    }
    FUZZ_CHECK(schema_accepts, "client schema rejects a room the bridge accepts: " + request);
    const char* ack = m.type == client_message_type::subscribe ? "subscribed" : "unsubscribed";
    check_wire_json(room_ack_json(ack, m.id, r->name()), "ws-server-message.schema.json");
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto parsed = parse_client_message(text);

    if (const auto* err = std::get_if<client_message_error>(&parsed)) {
        FUZZ_CHECK(err->id.size() <= max_correlation_id_bytes, "correlation id over 64 bytes");
        FUZZ_CHECK(!err->message.empty(), "an error needs a message");
        fuzz::check_wire_json(error_json(err->code, err->message, err->id),
                              "ws-server-message.schema.json");
        return 0;
    }
    FUZZ_CHECK(text.size() <= max_client_message_bytes, "accepted a message over 4 KiB");
    const client_message& m = std::get<client_message>(parsed);
    FUZZ_CHECK(m.id.size() <= max_correlation_id_bytes, "correlation id over 64 bytes");
    if (m.type == client_message_type::ping) {
        fuzz::check_wire_json(pong_json(m.id), "ws-server-message.schema.json");
        return 0;
    }
    fuzz::check_room_request(m);
    return 0;
}
