// Broker URLs as both MQTT clients read them: the built-in client's strict tcp:// parser, and
// the host and port of an ssl:// or mqtts:// broker that the TLS probe connects to.
#include "ingest/broker_url.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ingest/mqtt_source.hpp"

namespace sb {
namespace {

TEST(broker_url, tcp_and_mqtt_schemes_with_and_without_port) {
    EXPECT_EQ(parse_tcp_broker_url("tcp://127.0.0.1:1884").port, "1884");
    EXPECT_EQ(parse_tcp_broker_url("mqtt://broker.local").host, "broker.local");
    EXPECT_EQ(parse_tcp_broker_url("mqtt://broker.local").port, "1883");
    EXPECT_EQ(parse_tcp_broker_url("tcp://[::1]:1883").host, "::1");
    EXPECT_EQ(parse_tcp_broker_url("tcp://h:1/").port, "1");
    for (const char* bad : {"ssl://h:8883", "h:1883", "tcp://", "tcp://h:0", "tcp://h:65536", "tcp://h:x",
                            "tcp://[::1", "tcp://h:1/path"}) {
        EXPECT_THROW(parse_tcp_broker_url(bad), std::runtime_error) << bad;
    }
}

TEST(broker_url, tls_urls_give_the_host_and_port_the_probe_connects_to) {
    struct row {
        const char* url;
        const char* host;
        const char* port;
    };
    const row rows[] = {
        {"ssl://broker.lan:8884", "broker.lan", "8884"},
        {"mqtts://broker.lan", "broker.lan", "8883"},  // the MQTT-over-TLS port by default
        {"ssl://127.0.0.1:18883", "127.0.0.1", "18883"},
        {"ssl://[::1]:8884", "::1", "8884"},
        {"mqtts://[fe80::1]", "fe80::1", "8883"},
        {"ssl://user:pw@broker.lan:8884/", "broker.lan", "8884"},
        {"tcp://broker.lan:1883", "", "8883"},  // not TLS: nothing to probe
    };
    for (const auto& r : rows) {
        const auto a = split_tls_broker_url(r.url);
        EXPECT_EQ(a.host, r.host) << r.url;
        if (*r.host) {
            EXPECT_EQ(a.port, r.port) << r.url;
        }
    }
    EXPECT_TRUE(is_tls_broker_url("ssl://x") && is_tls_broker_url("mqtts://x"));
    EXPECT_FALSE(is_tls_broker_url("tcp://x") || is_tls_broker_url("mqtt://x") || is_tls_broker_url("ws://x"));
}

}  // namespace
}  // namespace sb
