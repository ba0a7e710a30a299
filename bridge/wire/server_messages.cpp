#include "wire/server_messages.hpp"

#include "core/json_writer.hpp"

namespace sb {
namespace {

std::string finish(rapidjson::StringBuffer& buf) { return {buf.GetString(), buf.GetSize()}; }

void write_type_and_id(json_writer& w, std::string_view type, std::string_view id) {
    write_key(w, "type");
    write_string(w, type);
    if (!id.empty()) {
        write_key(w, "id");
        write_string(w, id);
    }
}

}  // namespace

std::string connected_json(std::string_view version, std::string_view instance, std::uint32_t heartbeat_ms,
                           bool auth_required) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "connected", {});
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "version");
    write_string(w, version);
    write_key(w, "instance");
    write_string(w, instance);
    write_key(w, "heartbeatMs");
    w.Uint(heartbeat_ms);
    write_key(w, "authRequired");
    w.Bool(auth_required);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string authenticated_json(std::string_view id, const std::vector<std::string>* rooms,
                               std::optional<std::int64_t> expires_at_ms) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "authenticated", id);
    write_key(w, "payload");
    w.StartObject();
    if (rooms) {
        write_key(w, "rooms");
        w.StartArray();
        for (const auto& r : *rooms) write_string(w, r);
        w.EndArray();
    }
    if (expires_at_ms) {
        write_key(w, "expiresAt");
        w.Int64(*expires_at_ms);
    }
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string room_ack_json(std::string_view type, std::string_view id, std::string_view room) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, type, id);
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "room");
    write_string(w, room);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string error_json(client_error code, std::string_view message, std::string_view id) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "error", id);
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "code");
    write_string(w, to_string(code));
    write_key(w, "message");
    write_string(w, message);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string pong_json(std::string_view id) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "pong", id);
    w.EndObject();
    return finish(buf);
}

std::string removed_json(std::string_view sensor_id) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "sensor.removed", {});
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "sensorId");
    write_string(w, sensor_id);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string meta_json(std::string_view sensor_id, const sensor_meta* meta) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "sensor.meta", {});
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "sensorId");
    write_string(w, sensor_id);
    if (meta) write_meta_members(w, *meta);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

std::string status_json(std::string_view sensor_id, std::string_view status, std::int64_t since) {
    rapidjson::StringBuffer buf;
    json_writer w(buf);
    w.StartObject();
    write_type_and_id(w, "sensor.status", {});
    write_key(w, "payload");
    w.StartObject();
    write_key(w, "sensorId");
    write_string(w, sensor_id);
    write_key(w, "status");
    write_string(w, status);
    write_key(w, "since");
    w.Int64(since);
    w.EndObject();
    w.EndObject();
    return finish(buf);
}

}  // namespace sb
