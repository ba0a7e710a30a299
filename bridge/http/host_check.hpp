#pragma once
// The Host and Origin checks against DNS rebinding and cross-site requests (docs/SECURITY.md,
// "Host and Origin"). A page whose domain an attacker re-points at the gateway's address is
// same-origin with the bridge in the browser's eyes, but its requests still carry the
// attacker's name in Host: only names and addresses that are this bridge's own are answered.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

struct host_port {
    std::string host;                   // lower-cased, no trailing dot; an IPv6 address without brackets
    std::optional<std::uint16_t> port;  // nullopt: none given (the scheme's default)
};

// Parses a Host header ("name", "Name:8080", "[::1]:8080", "192.0.2.1"); nullopt when it is not
// one (RFC 9110 §7.2: uri-host [":" port]).
std::optional<host_port> parse_host_header(std::string_view value);

struct origin_parts {
    std::string scheme;  // "http" or "https"
    std::string host;    // as in host_port
    std::uint16_t port = 0;  // the scheme's default when the Origin names none
    bool operator==(const origin_parts& o) const { return scheme == o.scheme && host == o.host && port == o.port; }
};

// Parses a serialized Origin (RFC 6454 §6.2: scheme "://" host [":" port], no path);
// nullopt for "null", other schemes and anything malformed. Scheme and host compare
// case-insensitively, so both are lower-cased.
std::optional<origin_parts> parse_origin(std::string_view value);

// A --allowed-host value: a host name, "*.suffix" (any name under suffix), an IP address, or
// "*" (every Host: no DNS rebinding protection).
bool valid_host_pattern(std::string_view pattern);

// What the machine calls itself: host names and interface addresses (IPv4 dotted, IPv6 without
// brackets or zone). Injected for tests.
struct machine_identity {
    std::vector<std::string> names;
    std::vector<std::string> addresses;
};
machine_identity system_identity();

class host_allowlist {
public:
    using identity_source = std::function<machine_identity()>;

    // bind: the listening address. patterns: --allowed-host values. When bind is a wildcard
    // (0.0.0.0, ::) the machine's names and interface addresses are allowed as well, read from
    // identity (again on a miss, at most every refresh_every: addresses change under DHCP).
    host_allowlist(std::string bind, const std::vector<std::string>& patterns,
                   identity_source identity = system_identity,
                   std::chrono::steady_clock::duration refresh_every = std::chrono::seconds(10));

    // Whether a request with this Host may be answered. Always: localhost (and names under
    // .localhost), loopback addresses, the bind address.
    bool allows(const host_port& host, std::chrono::steady_clock::time_point now = std::chrono::steady_clock::now());

private:
    bool matches(std::string_view host) const;

    std::string bind_;
    bool wildcard_bind_ = false;
    bool any_ = false;
    std::vector<std::string> exact_;     // lower-cased names and canonical addresses
    std::vector<std::string> suffixes_;  // ".example.lan" for "*.example.lan"
    identity_source identity_;
    machine_identity machine_;
    std::chrono::steady_clock::duration refresh_every_;
    std::optional<std::chrono::steady_clock::time_point> read_at_;
};

// Whether a browser's Origin may use this port: the page's own origin (the scheme this port
// speaks, the host and port of the Host header, compared exactly) or one of allowed
// (--allowed-origin, parsed). "null" and malformed Origins are refused.
bool origin_allowed(std::string_view origin, const host_port& host, bool tls, const std::vector<origin_parts>& allowed);

}  // namespace sb
