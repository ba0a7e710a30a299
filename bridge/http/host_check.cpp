#include "http/host_check.hpp"

#include <asio/ip/address.hpp>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cerrno>
#include <climits>
#include <cstring>

#include "core/log.hpp"

namespace sb {
namespace {

constexpr std::size_t max_host_name = 253;  // RFC 1035 §2.3.4, without the trailing dot

char lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lowered(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lower);
    return out;
}

bool name_char(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
           c == '_';
}

// The canonical text of an IP address (IPv6 compressed, IPv4-mapped as IPv4), nullopt when s is
// not one. IPv4 only in dotted-decimal form (inet_pton), as browsers send it.
std::optional<std::string> canonical_address(std::string_view s) {
    asio::error_code ec;
    const auto a = asio::ip::make_address(std::string(s), ec);
    if (ec) return std::nullopt;
    if (a.is_v6() && a.to_v6().is_v4_mapped()) {
        return asio::ip::make_address_v4(asio::ip::v4_mapped, a.to_v6()).to_string();
    }
    if (a.is_v6() && a.to_v6().scope_id() != 0) return std::nullopt;  // zones never come in a Host
    return a.to_string();
}

bool is_loopback(std::string_view canonical) {
    asio::error_code ec;
    const auto a = asio::ip::make_address(std::string(canonical), ec);
    return !ec && a.is_loopback();
}

std::optional<std::uint16_t> parse_port(std::string_view s) {
    if (s.empty() || s.size() > 5) return std::nullopt;
    unsigned v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || end != s.data() + s.size() || v == 0 || v > 65535) return std::nullopt;
    return static_cast<std::uint16_t>(v);
}

bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::optional<host_port> parse_host_header(std::string_view value) {
    host_port out;
    std::string_view host;
    std::string_view rest;
    if (!value.empty() && value.front() == '[') {
        const auto close = value.find(']');
        if (close == std::string_view::npos) return std::nullopt;
        host = value.substr(1, close - 1);
        rest = value.substr(close + 1);
        auto a = canonical_address(host);
        if (!a || host.find(':') == std::string_view::npos) return std::nullopt;
        out.host = std::move(*a);
    } else {
        const auto colon = value.find(':');
        host = value.substr(0, colon);
        rest = colon == std::string_view::npos ? std::string_view{} : value.substr(colon);
        if (host.empty() || host.size() > max_host_name + 1) return std::nullopt;
        if (!std::all_of(host.begin(), host.end(), name_char)) return std::nullopt;
        if (host.back() == '.') host.remove_suffix(1);
        if (host.empty() || host.front() == '.') return std::nullopt;
        auto a = canonical_address(host);
        out.host = a ? std::move(*a) : lowered(host);
    }
    if (!rest.empty()) {
        if (rest.front() != ':') return std::nullopt;
        rest.remove_prefix(1);
        if (!rest.empty()) {  // "host:" is allowed and means no port (RFC 3986 §3.2.3)
            out.port = parse_port(rest);
            if (!out.port) return std::nullopt;
        }
    }
    return out;
}

std::optional<origin_parts> parse_origin(std::string_view value) {
    const auto sep = value.find("://");
    if (sep == std::string_view::npos) return std::nullopt;
    origin_parts out;
    out.scheme = lowered(value.substr(0, sep));
    std::uint16_t default_port = 0;
    if (out.scheme == "http") {
        default_port = 80;
    } else if (out.scheme == "https") {
        default_port = 443;
    } else {
        return std::nullopt;
    }
    auto hp = parse_host_header(value.substr(sep + 3));
    if (!hp) return std::nullopt;
    out.host = std::move(hp->host);
    out.port = hp->port.value_or(default_port);
    return out;
}

bool valid_host_pattern(std::string_view pattern) {
    if (pattern == "*") return true;
    if (pattern.substr(0, 2) == "*.") pattern.remove_prefix(2);
    if (canonical_address(pattern)) return true;
    auto hp = parse_host_header(pattern);
    return hp && !hp->port;
}

machine_identity system_identity() {
    machine_identity id;
    std::array<char, HOST_NAME_MAX + 1> name{};
    if (::gethostname(name.data(), name.size() - 1) == 0 && name[0] != '\0') {
        const std::string full = lowered(name.data());
        const std::string first = full.substr(0, full.find('.'));
        id.names = {full, first, first + ".local"};  // .local: the mDNS name most gateways announce
    }
    ifaddrs* list = nullptr;
    if (::getifaddrs(&list) == 0) {
        for (const ifaddrs* i = list; i; i = i->ifa_next) {
            if (!i->ifa_addr) continue;
            if (i->ifa_addr->sa_family == AF_INET) {
                const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
                id.addresses.push_back(asio::ip::address_v4(ntohl(sin->sin_addr.s_addr)).to_string());
            } else if (i->ifa_addr->sa_family == AF_INET6) {
                const auto* sin6 = reinterpret_cast<const sockaddr_in6*>(i->ifa_addr);
                asio::ip::address_v6::bytes_type bytes;
                std::copy(std::begin(sin6->sin6_addr.s6_addr), std::end(sin6->sin6_addr.s6_addr), bytes.begin());
                id.addresses.push_back(asio::ip::address_v6(bytes).to_string());
            }
        }
        ::freeifaddrs(list);
    } else {
        // Under a sandbox that forbids netlink sockets (systemd's RestrictAddressFamilies without
        // AF_NETLINK) the interface addresses are unknown: a wildcard bind then answers to its
        // host names only, and a browser using the gateway's address gets 421. Say so.
        const int err = errno;
        SB_LOG(warn, "http", "interface addresses unknown: Host checks accept names and --allowed-host only",
               "error=" + log_quote(std::strerror(err)));
    }
    return id;
}

host_allowlist::host_allowlist(std::string bind, const std::vector<std::string>& patterns, identity_source identity,
                               std::chrono::steady_clock::duration refresh_every)
    : identity_(std::move(identity)), refresh_every_(refresh_every) {
    asio::error_code ec;
    const auto a = asio::ip::make_address(bind, ec);
    wildcard_bind_ = !ec && a.is_unspecified();
    bind_ = canonical_address(bind).value_or(lowered(bind));
    for (const auto& p : patterns) {
        if (p == "*") {
            any_ = true;
        } else if (p.substr(0, 2) == "*.") {
            suffixes_.push_back(lowered(p.substr(1)));
        } else if (auto canon = canonical_address(p)) {
            exact_.push_back(std::move(*canon));
        } else if (auto hp = parse_host_header(p)) {
            exact_.push_back(std::move(hp->host));
        }
    }
    if (wildcard_bind_ && identity_) {
        machine_ = identity_();
        read_at_ = std::chrono::steady_clock::now();
    }
}

bool host_allowlist::matches(std::string_view host) const {
    if (host == bind_) return true;
    if (std::find(exact_.begin(), exact_.end(), host) != exact_.end()) return true;
    for (const auto& s : suffixes_) {
        if (host.size() > s.size() && ends_with(host, s)) return true;
    }
    if (!wildcard_bind_) return false;
    return std::find(machine_.names.begin(), machine_.names.end(), host) != machine_.names.end() ||
           std::find(machine_.addresses.begin(), machine_.addresses.end(), host) != machine_.addresses.end();
}

bool host_allowlist::allows(const host_port& h, std::chrono::steady_clock::time_point now) {
    if (any_) return true;
    if (h.host == "localhost" || ends_with(h.host, ".localhost")) return true;  // RFC 6761 §6.3
    if (is_loopback(h.host)) return true;
    if (matches(h.host)) return true;
    if (!wildcard_bind_ || !identity_) return false;
    if (read_at_ && now - *read_at_ < refresh_every_) return false;
    machine_ = identity_();  // an address the machine took since: DHCP, a new interface
    read_at_ = now;
    return matches(h.host);
}

bool origin_allowed(std::string_view origin, const host_port& host, bool tls, const std::vector<origin_parts>& allowed) {
    const auto o = parse_origin(origin);
    if (!o) return false;
    const std::uint16_t own_port = host.port.value_or(tls ? 443 : 80);
    if (o->scheme == (tls ? "https" : "http") && o->host == host.host && o->port == own_port) return true;
    return std::find(allowed.begin(), allowed.end(), *o) != allowed.end();
}

}  // namespace sb
