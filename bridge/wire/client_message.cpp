#include "wire/client_message.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include <optional>

#include "core/json_depth.hpp"
#include "core/json_duplicate_key.hpp"
#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

constexpr int max_client_depth = 8;

client_message_error fail(client_error code, std::string message, std::string id = {}) {
    return client_message_error{code, std::move(message), std::move(id)};
}

std::string read_id(const rapidjson::Value& doc) {
    auto it = doc.FindMember("id");
    if (it == doc.MemberEnd() || !it->value.IsString()) return {};
    if (it->value.GetStringLength() > max_correlation_id_bytes) return {};
    std::string id(it->value.GetString(), it->value.GetStringLength());
    return is_valid_utf8(id) ? id : std::string{};  // a lone "\udc00" must not be echoed
}

// payload.maxRateHz of a subscribe: absent, or a number in [min, max]_subscription_rate_hz.
bool read_max_rate(const rapidjson::Value& payload, client_message& msg) {
    auto rate = payload.FindMember("maxRateHz");
    if (rate == payload.MemberEnd()) return true;
    if (!rate->value.IsNumber()) return false;
    const double hz = rate->value.GetDouble();
    if (!(hz >= min_subscription_rate_hz && hz <= max_subscription_rate_hz)) return false;
    msg.max_rate_hz = hz;
    return true;
}

// payload.since of a subscribe: absent, or an integer >= 0 on a room that is not a prefix.
std::optional<client_message_error> read_since(const rapidjson::Value& payload, client_message& msg) {
    auto since = payload.FindMember("since");
    if (msg.type != client_message_type::subscribe || since == payload.MemberEnd()) return std::nullopt;
    if (!since->value.IsUint64()) {
        return fail(client_error::bad_json, "payload.since must be an integer seq >= 0", msg.id);
    }
    if (!msg.room.empty() && msg.room.back() == '*') {
        return fail(client_error::bad_room, "payload.since needs an exact room sensor:<id>", msg.id);
    }
    msg.since = since->value.GetUint64();
    return std::nullopt;
}

}  // namespace

std::variant<client_message, client_message_error> parse_client_message(std::string_view text) {
    if (text.size() > max_client_message_bytes) return fail(client_error::bad_json, "message over 4096 bytes");
    if (json_exceeds_depth(text, max_client_depth)) return fail(client_error::bad_json, "message nested too deeply");
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text.data(), text.size());
    if (doc.HasParseError()) {
        return fail(client_error::bad_json, std::string("invalid JSON: ") +
                                                rapidjson::GetParseError_En(doc.GetParseError()));
    }
    if (!doc.IsObject()) return fail(client_error::bad_json, "message must be a JSON object");
    if (const auto name = find_duplicate_key(doc)) {
        // The id is echoed unless it is the member named twice (then it is not known).
        return fail(client_error::bad_json, duplicate_key_detail(*name), *name == "id" ? std::string() : read_id(doc));
    }
    std::string id = read_id(doc);
    auto type = doc.FindMember("type");
    if (type == doc.MemberEnd() || !type->value.IsString()) {
        return fail(client_error::bad_json, "message needs a string 'type'", id);
    }
    std::string_view type_name(type->value.GetString(), type->value.GetStringLength());
    client_message msg;
    msg.id = std::move(id);
    if (type_name == "ping") {
        msg.type = client_message_type::ping;
        return msg;
    }
    if (type_name == "auth") {
        msg.type = client_message_type::auth;
        auto payload = doc.FindMember("payload");
        if (payload == doc.MemberEnd() || !payload->value.IsObject()) {
            return fail(client_error::bad_json, "payload.token is required", msg.id);
        }
        auto token = payload->value.FindMember("token");
        if (token == payload->value.MemberEnd() || !token->value.IsString() || token->value.GetStringLength() == 0) {
            return fail(client_error::bad_json, "payload.token must be a non-empty string", msg.id);
        }
        msg.token.assign(token->value.GetString(), token->value.GetStringLength());
        return msg;
    }
    if (type_name == "subscribe") {
        msg.type = client_message_type::subscribe;
    } else if (type_name == "unsubscribe") {
        msg.type = client_message_type::unsubscribe;
    } else {
        return fail(client_error::unknown_type, "unknown message type", msg.id);
    }
    auto payload = doc.FindMember("payload");
    if (payload == doc.MemberEnd() || !payload->value.IsObject()) {
        return fail(client_error::bad_room, "payload.room is required", msg.id);
    }
    auto room = payload->value.FindMember("room");
    if (room == payload->value.MemberEnd() || !room->value.IsString()) {
        return fail(client_error::bad_room, "payload.room must be a string", msg.id);
    }
    msg.room.assign(room->value.GetString(), room->value.GetStringLength());
    if (msg.type == client_message_type::subscribe && !read_max_rate(payload->value, msg)) {
        return fail(client_error::bad_json, "payload.maxRateHz must be a number from 0.001 to 1000", msg.id);
    }
    if (auto bad_since = read_since(payload->value, msg)) return std::move(*bad_since);
    return msg;
}

}  // namespace sb
