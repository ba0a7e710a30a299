#include "config/option_checks.hpp"

#include "core/tls_files.hpp"
#include "ingest/mqtt_source.hpp"
#include "ingest/topic_filter.hpp"

namespace sb {

// A dead-letter topic the bridge itself subscribes to would feed rejections back in forever.
std::optional<std::int64_t> parse_duration_ms(std::string_view text) {
    if (text == "0" || text == "never") return 0;
    std::size_t digits = 0;
    std::int64_t n = 0;
    for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
        if (digits >= 9) return std::nullopt;  // ≤ 999 999 999 of any unit
        n = n * 10 + (text[digits] - '0');
    }
    if (digits == 0) return std::nullopt;
    const std::string_view unit = text.substr(digits);
    std::int64_t ms_per = 0;
    if (unit == "ms") ms_per = 1;
    else if (unit == "s") ms_per = 1000;
    else if (unit == "m") ms_per = 60 * 1000;
    else if (unit == "h") ms_per = 3600 * 1000;
    else if (unit == "d") ms_per = 86400 * 1000;
    else return std::nullopt;
    return n * ms_per;
}

std::optional<std::uint64_t> parse_size_bytes(std::string_view text) {
    std::size_t digits = 0;
    std::uint64_t n = 0;
    for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9'; ++digits) {
        if (digits >= 15) return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(text[digits] - '0');
    }
    if (digits == 0) return std::nullopt;
    std::string_view unit = text.substr(digits);
    if (unit.size() == 3 && unit.substr(1) == "iB") unit = unit.substr(0, 1);
    int shift = 0;
    if (unit.empty() || unit == "B") shift = 0;
    else if (unit == "K") shift = 10;
    else if (unit == "M") shift = 20;
    else if (unit == "G") shift = 30;
    else if (unit == "T") shift = 40;
    else return std::nullopt;
    if (n > (std::uint64_t{1} << (50 - shift))) return std::nullopt;
    return n << shift;
}

std::optional<std::string> dead_letter_loop(const options& o) {
    if (o.dead_letter_topic.empty()) return std::nullopt;
    for (const auto& t : o.topics) {
        auto f = topic_filter::parse(t);
        if (f && f->matches(o.dead_letter_topic)) {
            return "--dead-letter-topic '" + o.dead_letter_topic + "' matches --topic '" + t +
                   "': rejected messages would be ingested again";
        }
    }
    return std::nullopt;
}

std::optional<std::string> broker_list_problem(const options& o) {
    if (o.mqtt_urls.empty()) return std::string("--mqtt-url: at least one broker");
    if (o.mqtt_urls.size() > max_broker_urls) {
        return "--mqtt-url: at most " + std::to_string(max_broker_urls) + " brokers, not " +
               std::to_string(o.mqtt_urls.size());
    }
    const bool tls = is_tls_broker_url(o.mqtt_urls.front());
    for (const auto& u : o.mqtt_urls) {
        if (is_tls_broker_url(u) != tls) {
            return "--mqtt-url: '" + mask_url_password(o.mqtt_urls.front()) + "' and '" + mask_url_password(u) +
                   "' mix plain and TLS brokers: give every one the same kind";
        }
    }
    return std::nullopt;
}

// TLS options that cannot work together; their files' content is checked later.
std::optional<std::string> tls_conflict(const options& o) {
    const bool tls = !o.mqtt_urls.empty() && is_tls_broker_url(o.mqtt_urls.front());
    if (o.tls_cert.empty() != o.tls_key.empty()) return std::string("--tls-cert and --tls-key go together");
    if (o.mqtt_cert.empty() != o.mqtt_key.empty()) return std::string("--mqtt-cert and --mqtt-key go together");
    if (!tls && (!o.mqtt_ca.empty() || !o.mqtt_cert.empty())) {
        // Silently ignored, they would let credentials travel in the clear.
        return "--mqtt-ca, --mqtt-cert and --mqtt-key need an ssl:// or mqtts:// --mqtt-url, not '" +
               mask_url_password(o.mqtt_urls.front()) + "'";
    }
    if (tls && o.mqtt_client == "asio") {
        return std::string("--mqtt-client asio speaks plain TCP only: use paho (or auto) for ssl:// and mqtts://");
    }
    return std::nullopt;
}

// The TLS files load, and each key belongs to its certificate.
std::optional<std::string> tls_files_problem(const options& o) {
    std::string why;
    if (!o.tls_cert.empty()) why = check_cert_and_key({"--tls-cert", o.tls_cert}, {"--tls-key", o.tls_key});
    if (why.empty() && !o.mqtt_ca.empty()) why = check_ca_file({"--mqtt-ca", o.mqtt_ca});
    if (why.empty() && !o.mqtt_cert.empty()) {
        why = check_cert_and_key({"--mqtt-cert", o.mqtt_cert}, {"--mqtt-key", o.mqtt_key});
    }
    if (why.empty()) return std::nullopt;
    return why;
}

}  // namespace sb
