#include "normalize/status_topic.hpp"

#include <rapidjson/document.h>

#include <array>

#include "core/json_duplicate_key.hpp"
#include "normalize/ascii.hpp"

namespace sb {
namespace {

using detail::equals_ignoring_case;

// Online-state payloads are short words or tiny objects; anything longer is not one.
constexpr std::size_t max_state_payload = 256;

constexpr std::array<std::string_view, 4> status_levels{"status", "availability", "lwt", "online"};
constexpr std::array<std::string_view, 2> state_keys{"state", "status"};

std::string_view trim(std::string_view s) noexcept {
    auto is_space = [](char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"';
    };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<bool> word_state(std::string_view w) noexcept {
    for (std::string_view on : {"online", "true", "1", "connected", "up"}) {
        if (equals_ignoring_case(w, on)) return true;
    }
    for (std::string_view off : {"offline", "false", "0", "disconnected", "down"}) {
        if (equals_ignoring_case(w, off)) return false;
    }
    return std::nullopt;
}

bool parse_object(std::string_view payload, rapidjson::Document& doc) {
    doc.Parse<rapidjson::kParseIterativeFlag>(payload.data(), payload.size());
    return !doc.HasParseError() && doc.IsObject();
}

}  // namespace

bool is_status_topic(std::string_view topic) noexcept {
    if (topic.find('/') == std::string_view::npos) return false;
    const std::string_view last = detail::last_topic_level(topic);
    for (std::string_view level : status_levels) {
        if (equals_ignoring_case(last, level)) return true;
    }
    return false;
}

std::string status_sensor_id(std::string_view topic, std::string_view topic_id) {
    const std::string_view last = detail::last_topic_level(topic);
    if (topic_id == last) return {};
    const bool wildcard_matched_last = topic_id.size() > last.size() &&
                                       topic_id.substr(topic_id.size() - last.size()) == last &&
                                       topic_id[topic_id.size() - last.size() - 1] == '.';
    if (wildcard_matched_last) topic_id.remove_suffix(last.size() + 1);
    return std::string(topic_id);
}

std::optional<bool> parse_online_state(std::string_view payload) {
    if (payload.size() > max_state_payload) return std::nullopt;
    const std::string_view t = trim(payload);
    if (t.empty() || t.front() != '{') return word_state(t);
    rapidjson::Document doc;
    if (!parse_object(payload, doc) || find_duplicate_key(doc)) return std::nullopt;
    for (std::string_view key : state_keys) {
        const auto it = doc.FindMember(rapidjson::StringRef(key.data(), key.size()));
        if (it == doc.MemberEnd()) continue;
        if (it->value.IsBool()) return it->value.GetBool();
        if (it->value.IsString()) {
            return word_state({it->value.GetString(), it->value.GetStringLength()});
        }
        return std::nullopt;
    }
    return std::nullopt;
}

bool is_object_without_state(std::string_view payload) {
    const std::string_view t = trim(payload);
    if (t.empty() || t.front() != '{') return false;
    rapidjson::Document doc;
    if (!parse_object(payload, doc)) return false;
    for (std::string_view key : state_keys) {
        if (doc.HasMember(rapidjson::StringRef(key.data(), key.size()))) return false;
    }
    return true;
}

std::optional<std::string> status_payload_duplicate_key(std::string_view payload) {
    if (payload.size() > max_state_payload) return std::nullopt;
    rapidjson::Document doc;
    if (!parse_object(payload, doc)) return std::nullopt;
    const auto name = find_duplicate_key(doc);
    return name ? std::optional<std::string>(duplicate_key_detail(*name)) : std::nullopt;
}

}  // namespace sb
