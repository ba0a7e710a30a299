// libFuzzer target: how a topic becomes a sensor id (issue 19, finding 6; docs/CONVENTIONS.md):
// topic_filter::parse (the configured filters, and Home Assistant's discovered state topics),
// matches, sensor_id_for, topic_sensor_id, is_valid_topic_name and status_sensor_id.
// Input: one byte n, then n bytes of filter (fewer if the input is shorter), then the topic.
// Invariants, against a plain reference that splits both on '/': parse accepts exactly the
// filters where '+' and '#' stand alone in a level and '#' only last; a filter matches a topic
// exactly when the reference does (a '$' topic never under a leading wildcard) and the id is
// the wildcard levels joined with '.'; topic_sensor_id takes the first filter that matches;
// the status topic's sensor is "" or the topic id less a ".<level>" suffix.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/sensor_id.hpp"
#include "fuzz_check.hpp"
#include "ingest/topic_filter.hpp"
#include "normalize/status_topic.hpp"

namespace sb::fuzz {
namespace {

std::vector<std::string_view> levels_of(std::string_view s) {
    std::vector<std::string_view> levels;
    std::size_t start = 0;
    for (std::size_t slash; (slash = s.find('/', start)) != std::string_view::npos; start = slash + 1) {
        levels.push_back(s.substr(start, slash - start));
    }
    levels.push_back(s.substr(start));
    return levels;
}

bool reference_filter_ok(std::string_view f) {
    if (f.empty() || f.size() > 65535 || f.find('\0') != std::string_view::npos) return false;
    const auto levels = levels_of(f);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const bool wild = levels[i].find_first_of("+#") != std::string_view::npos;
        if (wild && levels[i] != "+" && !(levels[i] == "#" && i + 1 == levels.size())) return false;
    }
    return true;
}

bool reference_topic_ok(std::string_view t) {
    return !t.empty() && t.size() <= 65535 && t.find_first_of(std::string_view("+#\0", 3)) == std::string_view::npos;
}

// The id per MQTT 3.1.1 §4.7 matching, or nullopt.
std::optional<std::string> reference_id(std::string_view filter, std::string_view topic) {
    if (!reference_topic_ok(topic)) return std::nullopt;
    const auto f = levels_of(filter), t = levels_of(topic);
    if (topic[0] == '$' && (f[0] == "+" || f[0] == "#")) return std::nullopt;
    std::string id;
    std::size_t captured = 0;
    auto capture = [&](std::string_view level) {
        if (captured++ > 0) id += '.';
        id += level;
    };
    for (std::size_t i = 0; i < f.size(); ++i) {
        if (f[i] == "#") {
            for (std::size_t k = i; k < t.size(); ++k) capture(t[k]);
            return id;
        }
        if (i >= t.size()) return std::nullopt;
        if (f[i] == "+") {
            capture(t[i]);
        } else if (f[i] != t[i]) {
            return std::nullopt;
        }
    }
    return f.size() == t.size() ? std::optional<std::string>(id) : std::nullopt;
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb;
    using namespace sb::fuzz;
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    const std::string_view filter_text = rest.substr(0, data[0]);
    const std::string_view topic = rest.substr(filter_text.size());

    FUZZ_CHECK(is_valid_topic_name(topic) == reference_topic_ok(topic), "is_valid_topic_name disagrees");
    const auto filter = topic_filter::parse(filter_text);
    FUZZ_CHECK(filter.has_value() == reference_filter_ok(filter_text), "topic_filter::parse disagrees");
    std::vector<topic_filter> filters;
    if (filter) {
        FUZZ_CHECK(filter->text() == filter_text, "the filter's text changed");
        const auto id = filter->sensor_id_for(topic);
        FUZZ_CHECK(id == reference_id(filter_text, topic), "sensor_id_for disagrees with MQTT matching");
        FUZZ_CHECK(filter->matches(topic) == id.has_value(), "matches and sensor_id_for disagree");
        filters.push_back(*filter);
    }
    // A fallback after it, as a configuration lists several: the first match wins.
    filters.push_back(*topic_filter::parse("#"));
    const std::string id = topic_sensor_id(filters, topic);
    const auto first = filter ? filter->sensor_id_for(topic) : std::nullopt;
    FUZZ_CHECK(id == (first ? *first : reference_id("#", topic).value_or("")), "topic_sensor_id is not the first match");
    if (!id.empty()) FUZZ_CHECK(id.size() <= topic.size(), "an id longer than its topic");

    if (is_status_topic(topic)) {
        const std::string sensor = status_sensor_id(topic, id);
        FUZZ_CHECK(sensor.empty() || sensor == id || (id.size() > sensor.size() && id.compare(0, sensor.size(), sensor) == 0 &&
                                                      id[sensor.size()] == '.'),
                   "a status sensor that is not the topic id or its prefix: " + sensor);
    }
    return 0;
}
