// http/host_check: the Host allowlist and the exact Origin comparison (issue 19, finding 1).
#include "http/host_check.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

host_port host(const char* h) {
    auto p = parse_host_header(h);
    EXPECT_TRUE(p) << h;
    return p.value_or(host_port{});
}

TEST(host_header, names_addresses_and_ports) {
    EXPECT_EQ(host("Gateway.LAN:8080").host, "gateway.lan");
    EXPECT_EQ(host("Gateway.LAN:8080").port, 8080);
    EXPECT_EQ(host("gateway.lan.").host, "gateway.lan");
    EXPECT_FALSE(host("gateway.lan").port);
    EXPECT_FALSE(host("gateway.lan:").port);
    EXPECT_EQ(host("[0:0:0:0:0:0:0:1]:80").host, "::1");
    EXPECT_EQ(host("[::ffff:127.0.0.1]").host, "127.0.0.1");
    EXPECT_EQ(host("192.0.2.7").host, "192.0.2.7");
    for (const char* bad : {"", ":80", "::1", "[::1", "[::1]x", "a b", "a/b", "a@b", "h:0", "h:65536", "h:8o",
                            "[127.0.0.1]", ".", "a:1:2"}) {
        EXPECT_FALSE(parse_host_header(bad)) << bad;
    }
}

TEST(origin, parsed_with_the_default_port_and_lower_case) {
    const auto o = parse_origin("HTTPS://Dash.Example");
    ASSERT_TRUE(o);
    EXPECT_EQ(*o, (origin_parts{"https", "dash.example", 443}));
    EXPECT_EQ(parse_origin("http://[::1]:8080")->host, "::1");
    for (const char* bad : {"null", "file://", "ftp://a", "http://a/", "http://a?x", "http://u@a", "http//a", ""}) {
        EXPECT_FALSE(parse_origin(bad)) << bad;
    }
}

machine_identity fixed_identity() { return {{"gw", "gw.local"}, {"192.168.1.20", "fe80::1"}}; }

TEST(host_allowlist, loopback_bind_answers_only_loopback_names_and_listed_hosts) {
    host_allowlist l("127.0.0.1", {"gateway.lan", "*.example.lan", "10.0.0.9"}, fixed_identity);
    for (const char* ok : {"localhost", "LOCALHOST:8080", "app.localhost", "127.0.0.1", "127.3.4.5:1", "[::1]:8080",
                           "gateway.lan", "a.example.lan", "a.b.example.lan:8080", "10.0.0.9"}) {
        EXPECT_TRUE(l.allows(host(ok))) << ok;
    }
    for (const char* bad : {"attacker.example", "example.lan", "gateway.lan.attacker.example", "xexample.lan",
                            "gw", "192.168.1.20", "10.0.0.10", "localhost.attacker.example"}) {
        EXPECT_FALSE(l.allows(host(bad))) << bad;
    }
}

TEST(host_allowlist, wildcard_bind_adds_the_machine_names_and_addresses) {
    host_allowlist l("0.0.0.0", {}, fixed_identity);
    for (const char* ok : {"gw", "GW.local:8080", "192.168.1.20:8080", "[fe80::1]"}) EXPECT_TRUE(l.allows(host(ok))) << ok;
    EXPECT_FALSE(l.allows(host("attacker.example")));
    EXPECT_FALSE(l.allows(host("192.168.1.21")));
}

TEST(host_allowlist, an_address_taken_later_is_found_after_the_refresh_interval) {
    int reads = 0;
    machine_identity id{{"gw"}, {"192.168.1.20"}};
    host_allowlist l("::", {}, [&] { ++reads; return id; }, std::chrono::seconds(10));
    const auto t0 = std::chrono::steady_clock::now();
    id.addresses.push_back("192.168.1.30");
    EXPECT_FALSE(l.allows(host("192.168.1.30"), t0 + std::chrono::seconds(1)));  // no re-read yet
    EXPECT_TRUE(l.allows(host("192.168.1.30"), t0 + std::chrono::seconds(11)));
    EXPECT_FALSE(l.allows(host("attacker.example"), t0 + std::chrono::seconds(12)));
    EXPECT_EQ(reads, 2) << "a foreign Host must not make every request read the interfaces";
}

TEST(host_allowlist, star_allows_every_host) {
    host_allowlist l("127.0.0.1", {"*"}, fixed_identity);
    EXPECT_TRUE(l.allows(host("attacker.example")));
}

TEST(host_pattern, validity) {
    for (const char* ok : {"*", "gateway.lan", "*.example.lan", "192.0.2.1", "::1", "[::1]", "GW"}) {
        EXPECT_TRUE(valid_host_pattern(ok)) << ok;
    }
    for (const char* bad : {"", "*.", "a b", "http://a", "a:80", "*x.lan", "a/b"}) EXPECT_FALSE(valid_host_pattern(bad)) << bad;
}

TEST(origin_allowed, same_origin_is_scheme_host_and_port_exactly) {
    const auto h = host("Gateway.lan:8080");
    EXPECT_TRUE(origin_allowed("http://gateway.LAN:8080", h, false, {}));
    EXPECT_FALSE(origin_allowed("https://gateway.lan:8080", h, false, {})) << "https page on the plain port";
    EXPECT_TRUE(origin_allowed("https://gateway.lan:8080", h, true, {}));
    EXPECT_FALSE(origin_allowed("http://gateway.lan:8080", h, true, {})) << "http page on the TLS port";
    EXPECT_FALSE(origin_allowed("http://gateway.lan", h, false, {}));
    EXPECT_FALSE(origin_allowed("http://gateway.lan:8081", h, false, {}));
    EXPECT_FALSE(origin_allowed("null", h, false, {}));
    EXPECT_TRUE(origin_allowed("http://gateway.lan", host("gateway.lan"), false, {}));
    EXPECT_TRUE(origin_allowed("http://gateway.lan:80", host("gateway.lan"), false, {}));
    EXPECT_TRUE(origin_allowed("https://gateway.lan", host("gateway.lan:443"), true, {}));
    const std::vector<origin_parts> allowed{*parse_origin("https://dash.example:8443")};
    EXPECT_TRUE(origin_allowed("HTTPS://DASH.example:8443", h, false, allowed));
    EXPECT_FALSE(origin_allowed("https://dash.example", h, false, allowed));
    EXPECT_FALSE(origin_allowed("http://dash.example:8443", h, false, allowed));
}

}  // namespace
}  // namespace sb
