#pragma once
// Broker URLs, for both MQTT clients: scheme://host[:port][/], IPv6 literals in brackets.
#include <string>

namespace sb {

struct broker_address {
    std::string host;
    std::string port;
};

// tcp://host:port or mqtt://host:port (port defaults to 1883), for the built-in client.
// Throws std::runtime_error naming the problem.
broker_address parse_tcp_broker_url(const std::string& url);

// Host and port of an ssl:// or mqtts:// URL (port 8883 when it names none), for the TLS probe
// beside Paho, which has parsed the URL already: lenient, a user-info part and a path are
// skipped; the host is empty when the URL has none or is not a TLS one.
broker_address split_tls_broker_url(const std::string& url);

}  // namespace sb
