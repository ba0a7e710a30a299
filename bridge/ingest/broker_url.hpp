#pragma once
// Broker URLs, for both MQTT clients: scheme://host[:port][/], IPv6 literals in brackets.
#include <cstddef>
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

// scheme://user:password@host -> scheme://user:********@host; anything else unchanged. For
// every URL that is printed or logged.
std::string mask_url_password(const std::string& url);

// The URL without its user-info part (scheme://host:port): what health, metrics and logs name.
std::string url_without_userinfo(const std::string& url);

// At most this many --mqtt-url brokers (each a connect attempt per round).
constexpr std::size_t max_broker_urls = 8;

}  // namespace sb
