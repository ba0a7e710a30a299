#include "normalize/esphome.hpp"

#include <string>

namespace sb::detail {

std::optional<esphome_component> esphome_state_topic(std::string_view topic) noexcept {
    constexpr std::string_view suffix = "/state";
    if (topic.size() <= suffix.size() || topic.substr(topic.size() - suffix.size()) != suffix) return std::nullopt;
    std::string_view rest = topic.substr(0, topic.size() - suffix.size());  // <node>/<component>/<object>
    const std::size_t object = rest.rfind('/');
    if (object == std::string_view::npos || object + 1 == rest.size()) return std::nullopt;
    rest = rest.substr(0, object);  // <node>/<component>
    const std::size_t component = rest.rfind('/');
    if (component == std::string_view::npos || component == 0) return std::nullopt;
    const std::string_view name = rest.substr(component + 1);
    if (name == "binary_sensor") return esphome_component::binary_sensor;
    if (name == "text_sensor") return esphome_component::text_sensor;
    return std::nullopt;
}

check read_esphome(esphome_component component, reading_sink& sink) {
    const std::string_view payload = sink.in.payload;
    if (check c = check_id(sink.in.topic_id)) return c;
    if (component == esphome_component::binary_sensor) {
        // ESPHome writes exactly these two words (and nothing while the state is unknown).
        if (payload == "ON") return sink.add(std::string(sink.in.topic_id), true, {}, sink.in.received_at);
        if (payload == "OFF") return sink.add(std::string(sink.in.topic_id), false, {}, sink.in.received_at);
        return fail(reject_reason::no_value, "binary_sensor state is not ON or OFF");
    }
    if (payload.empty()) return fail(reject_reason::no_value, "empty text_sensor state");
    if (check c = check_text(payload, "text_sensor state")) return c;
    return sink.add(std::string(sink.in.topic_id), std::string(payload), {}, sink.in.received_at);
}

}  // namespace sb::detail
