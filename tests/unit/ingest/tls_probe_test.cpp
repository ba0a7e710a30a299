// Where the TLS probe connects: the host and port of an ssl:// or mqtts:// broker URL.
#include "ingest/tls_probe.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(tls_probe, splits_tls_broker_urls) {
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
