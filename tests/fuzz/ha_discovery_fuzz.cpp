// libFuzzer target: Home Assistant discovery (issue 17), the config parser and the value
// templates: both read bytes any MQTT client may publish under homeassistant/. Whatever
// arrives, parsing returns; an accepted config has the shape the pipeline relies on (a state
// topic without wildcards, UTF-8 names, a bounded expiry); a compiled template renders any
// payload to a finite number, a boolean, a string or nothing; and a reading or sensor.meta
// carrying the config's metadata is a frame the schemas accept.
//
// Input: a config payload when it starts with '{' (read as homeassistant/sensor/n/o/config);
// else "<template>\n<payload>", the template compiled and, when accepted, rendered.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "normalize/ha_discovery.hpp"
#include "normalize/ha_template.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb::fuzz {
namespace {

bool has_wildcard(std::string_view topic) { return topic.find_first_of("+#") != std::string_view::npos; }

void check_rendered(const ha_template::value& v) {
    if (const double* d = std::get_if<double>(&v)) FUZZ_CHECK(std::isfinite(*d), "a non-finite number rendered");
    (void)ha_text(v);
}

void check_template(std::string_view text, std::string_view payload) {
    std::string why;
    const std::optional<ha_template> t = ha_template::compile(text, why);
    if (!t) {
        FUZZ_CHECK(!why.empty(), "refused without a reason: " + std::string(text));
        return;
    }
    check_rendered(t->render(payload));
}

void check_config(std::string_view payload) {
    ha_config_topic where;
    where.component = payload.size() % 2 == 0 ? ha_component::sensor : ha_component::binary_sensor;
    where.node_id = "n";
    where.object_id = "o";
    std::string why;
    const std::optional<ha_entity> e = parse_ha_config(where, payload, why);
    if (!e) {
        FUZZ_CHECK(!why.empty(), "refused without a reason");
        return;
    }
    FUZZ_CHECK(!e->state_topic.empty() && !has_wildcard(e->state_topic), "state topic: " + e->state_topic);
    for (const ha_availability& a : e->availability) {
        FUZZ_CHECK(!a.topic.empty() && !has_wildcard(a.topic), "availability topic: " + a.topic);
        if (a.value_template) check_rendered(a.value_template->render(payload));
    }
    FUZZ_CHECK(e->expire_after_ms >= 0, "negative expire_after");
    FUZZ_CHECK(e->template_supported == e->unsupported.empty(), "unsupported without why, or why without it");
    if (e->value_template) check_rendered(e->value_template->render(payload));
    // What the wire carries of it: a reading with its metadata and a sensor.meta.
    reading r;
    r.sensor_id = "fuzz.sensor";
    r.value = 1.0;
    r.unit = is_valid_utf8(e->unit) && e->unit.size() <= 128 ? e->unit : std::string();
    r.timestamp = r.received_at = 1795000000999;
    r.seq = 1;
    r.topic = "fuzz";
    auto meta = std::make_shared<sensor_meta>();
    meta->name = e->name;
    meta->device_class = e->device_class;
    meta->device_id = e->device_id;
    meta->device_name = e->device_name;
    r.meta = meta;
    check_wire_json(reading_message_json(r), "ws-server-message.schema.json");
    check_wire_json(meta_json(r.sensor_id, meta.get()), "ws-server-message.schema.json");
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    if (!input.empty() && input.front() == '{') {
        sb::fuzz::check_config(input);
        return 0;
    }
    const std::size_t nl = input.find('\n');
    sb::fuzz::check_template(input.substr(0, nl), nl == std::string_view::npos ? std::string_view() : input.substr(nl + 1));
    return 0;
}
