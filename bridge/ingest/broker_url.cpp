#include "ingest/broker_url.hpp"

#include <optional>
#include <stdexcept>
#include <string_view>

namespace sb {
namespace {

// rest: what follows the scheme, when url starts with one of these schemes.
bool strip_scheme(const std::string& url, std::initializer_list<std::string_view> schemes, std::string& rest) {
    for (std::string_view scheme : schemes) {
        if (url.compare(0, scheme.size(), scheme) == 0) {
            rest = url.substr(scheme.size());
            return true;
        }
    }
    return false;
}

// host and ":port" (as written, colon included; empty when none) of "host:port" or
// "[v6]:port". False for an unclosed bracket.
bool split_host_port(const std::string& authority, std::string& host, std::string& port_part) {
    if (!authority.empty() && authority.front() == '[') {
        const auto close = authority.find(']');
        if (close == std::string::npos) return false;
        host = authority.substr(1, close - 1);
        port_part = authority.substr(close + 1);
        return true;
    }
    const auto colon = authority.rfind(':');
    host = authority.substr(0, colon);
    if (colon != std::string::npos) port_part = authority.substr(colon);
    return true;
}

}  // namespace

broker_address parse_tcp_broker_url(const std::string& url) {
    std::string rest;
    if (!strip_scheme(url, {"tcp://", "mqtt://"}, rest) || rest.empty()) {
        throw std::runtime_error("'" + url + "' is not a tcp:// or mqtt:// URL");
    }
    if (const auto slash = rest.find('/'); slash != std::string::npos) {
        if (slash + 1 != rest.size()) throw std::runtime_error("'" + url + "' has a path; a broker URL has none");
        rest.pop_back();
    }
    broker_address a;
    std::string port_part;
    if (!split_host_port(rest, a.host, port_part)) throw std::runtime_error("'" + url + "' has an unclosed [");
    if (port_part.empty()) {
        a.port = "1883";
    } else {
        if (port_part.front() != ':' || port_part.size() < 2 || port_part.size() > 6 ||
            port_part.find_first_not_of("0123456789", 1) != std::string::npos) {
            throw std::runtime_error("'" + url + "' has an invalid port");
        }
        a.port = port_part.substr(1);
        const long n = std::stol(a.port);
        if (n < 1 || n > 65535) throw std::runtime_error("'" + url + "' has a port outside 1-65535");
    }
    if (a.host.empty()) throw std::runtime_error("'" + url + "' has no host");
    return a;
}

broker_address split_tls_broker_url(const std::string& url) {
    broker_address a;
    std::string rest;
    if (!strip_scheme(url, {"ssl://", "mqtts://"}, rest)) return a;
    if (const auto at = rest.rfind('@'); at != std::string::npos) rest = rest.substr(at + 1);
    if (const auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
    std::string port_part;
    if (!split_host_port(rest, a.host, port_part)) return broker_address{};
    a.port = port_part.size() > 1 ? port_part.substr(1) : "8883";
    return a;
}

namespace {

// Where a URL's user-info starts (after "://") and where its '@' is; nullopt when it has none.
struct userinfo_span {
    std::size_t start;
    std::size_t at;
};
std::optional<userinfo_span> find_userinfo(const std::string& v) {
    const auto scheme = v.find("://");
    if (scheme == std::string::npos) return std::nullopt;
    const auto authority = scheme + 3;
    const auto at = v.find('@', authority);
    const auto slash = v.find('/', authority);
    if (at == std::string::npos || (slash != std::string::npos && slash < at)) return std::nullopt;
    return userinfo_span{authority, at};
}

}  // namespace

std::string mask_url_password(const std::string& v) {
    const auto u = find_userinfo(v);
    if (!u) return v;
    const auto colon = v.find(':', u->start);
    if (colon == std::string::npos || colon > u->at) return v;
    return v.substr(0, colon + 1) + "********" + v.substr(u->at);
}

std::string url_without_userinfo(const std::string& v) {
    const auto u = find_userinfo(v);
    return u ? v.substr(0, u->start) + v.substr(u->at + 1) : v;
}

}  // namespace sb
