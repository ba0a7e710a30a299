#pragma once
// MQTT topic filters and the topic -> sensor id rule (docs/CONVENTIONS.md). Pure.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

class topic_filter {
public:
    // Validates MQTT filter syntax ('+' a whole level, '#' only last); nullopt when invalid.
    static std::optional<topic_filter> parse(std::string_view filter);

    bool matches(std::string_view topic) const;

    // The topic levels matched by '+' and '#', joined with '.': with "sensors/#" the topic
    // "sensors/kitchen/temperature" gives "kitchen.temperature"; with "zigbee2mqtt/+" the
    // topic "zigbee2mqtt/porch" gives "porch". nullopt when the topic does not match.
    // The result is not validated as a sensor id (the normalizer does that).
    std::optional<std::string> sensor_id_for(std::string_view topic) const;

    const std::string& text() const noexcept { return text_; }

private:
    explicit topic_filter(std::string text);
    std::string text_;
    std::vector<std::string> levels_;
};

// The id from the first filter that matches the topic, "" when none does.
std::string topic_sensor_id(const std::vector<topic_filter>& filters, std::string_view topic);

// Whether a topic name (one a message is published to: --dead-letter-topic, a received
// topic) is valid MQTT: 1 to 65535 bytes, no wildcard, no NUL.
bool is_valid_topic_name(std::string_view topic) noexcept;

}  // namespace sb
