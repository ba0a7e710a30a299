#include "http/request_token.hpp"

#include "core/log.hpp"
#include "http/query_string.hpp"

namespace sb {
namespace {

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
    return s;
}

bool is_token_param(std::string_view name) noexcept { return name == "token" || name == "access_token"; }

}  // namespace

std::string_view to_string(token_source s) noexcept {
    switch (s) {
        case token_source::none: return "none";
        case token_source::header: return "header";
        case token_source::subprotocol: return "subprotocol";
        case token_source::query: return "query";
        case token_source::message: return "message";
    }
    return "none";
}

presented_token find_token(std::string_view authorization, const std::vector<std::string>& subprotocols,
                           std::string_view target) {
    presented_token found;
    if (!authorization.empty()) {
        found.source = token_source::header;
        const std::string_view value = trim(authorization);
        const auto space = value.find(' ');
        if (space == std::string_view::npos || !iequals(value.substr(0, space), "Bearer")) {
            found.malformed = true;
            return found;
        }
        found.token = std::string(trim(value.substr(space + 1)));
        found.malformed = found.token.empty();
        return found;
    }
    for (const auto& p : subprotocols) {
        if (p.size() > bearer_subprotocol_prefix.size() && p.compare(0, bearer_subprotocol_prefix.size(),
                                                                     bearer_subprotocol_prefix) == 0) {
            found.source = token_source::subprotocol;
            found.token = p.substr(bearer_subprotocol_prefix.size());
            return found;
        }
    }
    const std::string_view query = split_target(target).query;
    for (std::string_view name : {"token", "access_token"}) {
        query_value v = find_query_param(query, name);
        if (v.status == query_status::absent) continue;
        found.source = token_source::query;
        found.malformed = v.status == query_status::malformed || v.value.empty();
        found.token = std::move(v.value);
        return found;
    }
    return found;
}

std::string choose_subprotocol(const std::vector<std::string>& offered) {
    std::string bearer;
    for (const auto& p : offered) {
        if (p == app_subprotocol) return p;
        if (bearer.empty() && p.compare(0, bearer_subprotocol_prefix.size(), bearer_subprotocol_prefix) == 0) bearer = p;
    }
    return bearer;
}

std::string redact_target(std::string_view target) {
    const auto q = target.find('?');
    if (q == std::string_view::npos) return std::string(target);
    std::string out(target.substr(0, q + 1));
    std::string_view rest = target.substr(q + 1);
    bool first = true;
    while (true) {
        const auto amp = rest.find('&');
        const std::string_view param = rest.substr(0, amp);
        const auto eq = param.find('=');
        if (!first) out += '&';
        first = false;
        if (eq != std::string_view::npos && is_token_param(param.substr(0, eq))) {
            out.append(param.substr(0, eq + 1)).append("REDACTED");
        } else {
            out.append(param);
        }
        if (amp == std::string_view::npos) break;
        rest.remove_prefix(amp + 1);
    }
    return out;
}

void log_auth_refused(std::string_view peer, std::string_view target, token_source source, auth_failure why) {
    const std::string fields = "peer=" + log_quote(peer) + " source=" + std::string(to_string(source)) +
                               " reason=" + std::string(to_string(why)) +
                               " target=" + log_quote(redact_target(target), 256);
    if (why == auth_failure::missing) {
        SB_LOG(info, "auth", "request without a token refused", fields);
    } else {
        SB_LOG(warn, "auth", "token refused", fields);
    }
}

}  // namespace sb
