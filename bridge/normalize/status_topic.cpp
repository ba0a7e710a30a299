#include "normalize/status_topic.hpp"

#include <rapidjson/document.h>

#include <algorithm>
#include <cctype>

namespace sb {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
           });
}

std::string_view trim(std::string_view s) noexcept {
    auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"'; };
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

std::optional<bool> word_state(std::string_view w) noexcept {
    for (std::string_view on : {"online", "true", "1", "connected", "up"}) {
        if (iequals(w, on)) return true;
    }
    for (std::string_view off : {"offline", "false", "0", "disconnected", "down"}) {
        if (iequals(w, off)) return false;
    }
    return std::nullopt;
}

}  // namespace

bool is_status_topic(std::string_view topic) noexcept {
    auto slash = topic.rfind('/');
    if (slash == std::string_view::npos) return false;
    std::string_view last = topic.substr(slash + 1);
    return iequals(last, "status") || iequals(last, "availability") || iequals(last, "lwt");
}

std::string status_sensor_id(std::string_view topic_id) {
    auto dot = topic_id.rfind('.');
    return dot == std::string_view::npos ? std::string{} : std::string(topic_id.substr(0, dot));
}

std::optional<bool> parse_online_state(std::string_view payload) {
    if (payload.size() > 256) return std::nullopt;
    std::string_view t = trim(payload);
    if (!t.empty() && t.front() == '{') {
        rapidjson::Document doc;
        doc.Parse<rapidjson::kParseIterativeFlag>(payload.data(), payload.size());
        if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
        for (const char* key : {"state", "status"}) {
            auto it = doc.FindMember(key);
            if (it == doc.MemberEnd()) continue;
            if (it->value.IsBool()) return it->value.GetBool();
            if (it->value.IsString()) return word_state({it->value.GetString(), it->value.GetStringLength()});
        }
        return std::nullopt;
    }
    return word_state(t);
}

}  // namespace sb
