#include "ws_options.hpp"

#include <arpa/inet.h>

#include <algorithm>

#include "reading_codec.hpp"

namespace sb::bench {
namespace {

std::optional<std::uint32_t> parse_ipv4(const std::string& text) {
    in_addr a{};
    if (::inet_pton(AF_INET, text.c_str(), &a) != 1) return std::nullopt;
    return ntohl(a.s_addr);
}

}  // namespace

std::optional<ws_url> parse_ws_url(const std::string& url) {
    const std::string scheme = "ws://";
    if (url.rfind(scheme, 0) != 0) return std::nullopt;
    const std::size_t host_start = scheme.size();
    const std::size_t path_start = url.find('/', host_start);
    const std::string authority = url.substr(host_start, path_start - host_start);
    ws_url u;
    if (path_start != std::string::npos) u.path = url.substr(path_start);
    std::size_t colon = authority.rfind(':');
    if (!authority.empty() && authority[0] == '[') {  // [v6]:port
        const std::size_t close = authority.find(']');
        if (close == std::string::npos) return std::nullopt;
        u.host = authority.substr(1, close - 1);
        colon = authority.find(':', close);
    } else {
        u.host = authority.substr(0, colon);
    }
    if (colon != std::string::npos) {
        const std::string port = authority.substr(colon + 1);
        if (port.empty() || port.size() > 5 || !std::all_of(port.begin(), port.end(), ::isdigit)) return std::nullopt;
        const unsigned long p = std::stoul(port);
        if (p == 0 || p > 65535) return std::nullopt;
        u.port = static_cast<std::uint16_t>(p);
    }
    if (u.host.empty()) return std::nullopt;
    u.host_header = authority;
    return u;
}

std::optional<std::vector<std::uint32_t>> parse_source_range(const std::string& text) {
    const std::size_t dash = text.find('-');
    const auto first = parse_ipv4(text.substr(0, dash));
    const auto last = dash == std::string::npos ? first : parse_ipv4(text.substr(dash + 1));
    if (!first || !last || *last < *first || *last - *first >= 65536) return std::nullopt;
    std::vector<std::uint32_t> out;
    for (std::uint32_t a = *first;; ++a) {
        out.push_back(a);
        if (a == *last) break;
    }
    return out;
}

std::vector<std::string> subscription_plan(const ws_options& o, std::uint32_t index) {
    if (o.subscribe == subscribe_mode::all) return {"*"};
    if (o.subscribe == subscribe_mode::one) return {sensor_id(o.id_prefix, index % o.sensors)};
    if (index % 10 == 0) return {"*"};  // mixed: one client in ten watches everything
    std::uint32_t k = std::min(o.mixed_sensors, o.sensors);
    if (o.protocol == ws_protocol::bridge) k = std::min(k, o.max_subscriptions);
    const std::uint64_t start = (static_cast<std::uint64_t>(index) * k) % o.sensors;
    std::vector<std::string> ids;
    for (std::uint32_t i = 0; i < k; ++i) {
        ids.push_back(sensor_id(o.id_prefix, static_cast<std::uint32_t>((start + i) % o.sensors)));
    }
    return ids;
}

}  // namespace sb::bench
