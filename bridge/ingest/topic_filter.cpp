#include "ingest/topic_filter.hpp"

#include <cstddef>
#include <utility>

namespace sb {

namespace {

// MQTT caps a topic or filter at 65535 bytes (a UTF-8 string with a 16-bit length).
constexpr std::size_t max_topic_bytes = 65535;

// Splits on '/', keeping empty levels: MQTT treats "a//b" as three levels.
std::vector<std::string_view> split_levels(std::string_view text) {
    std::vector<std::string_view> levels;
    std::size_t start = 0;
    for (;;) {
        const std::size_t slash = text.find('/', start);
        if (slash == std::string_view::npos) {
            levels.push_back(text.substr(start));
            return levels;
        }
        levels.push_back(text.substr(start, slash - start));
        start = slash + 1;
    }
}


// A topic's levels one at a time, as views into it: matching allocates nothing.
class level_reader {
public:
    explicit level_reader(std::string_view topic) : topic_(topic) {}
    bool done() const noexcept { return done_; }
    std::string_view next() {
        const std::size_t slash = topic_.find('/', pos_);
        if (slash == std::string_view::npos) {
            done_ = true;
            return topic_.substr(pos_);
        }
        const std::string_view level = topic_.substr(pos_, slash - pos_);
        pos_ = slash + 1;
        return level;
    }

private:
    std::string_view topic_;
    std::size_t pos_ = 0;
    bool done_ = false;
};

// Walks filter and topic levels together. When `id` is given, the levels matched by wildcards
// are appended to it, joined with '.'. Returns whether the topic matches.
bool match_levels(const std::vector<std::string>& filter, std::string_view topic, std::string* id) {
    if (!is_valid_topic_name(topic)) return false;
    // MQTT: topics starting with '$' are not matched by a leading wildcard.
    if (topic.front() == '$' && (filter.front() == "+" || filter.front() == "#")) return false;

    level_reader levels(topic);
    std::size_t captured = 0;
    const auto capture = [&](std::string_view level) {
        if (!id) return;
        if (captured++ > 0) id->push_back('.');
        id->append(level);
    };
    for (const std::string& f : filter) {
        if (f == "#") {
            // '#' also matches the parent level itself: "sensors/#" matches "sensors".
            while (!levels.done()) capture(levels.next());
            return true;
        }
        if (levels.done()) return false;
        const std::string_view level = levels.next();
        if (f == "+") {
            capture(level);
        } else if (f != level) {
            return false;
        }
    }
    return levels.done();
}

}  // namespace

bool is_valid_topic_name(std::string_view topic) noexcept {
    if (topic.empty() || topic.size() > max_topic_bytes) return false;
    for (const char c : topic) {  // a plain loop: find_first_of calls memchr per character
        if (c == '+' || c == '#' || c == '\0') return false;
    }
    return true;
}

topic_filter::topic_filter(std::string text) : text_(std::move(text)) {
    for (std::string_view level : split_levels(text_)) levels_.emplace_back(level);
}

std::optional<topic_filter> topic_filter::parse(std::string_view filter) {
    if (filter.empty() || filter.size() > max_topic_bytes) return std::nullopt;
    if (filter.find('\0') != std::string_view::npos) return std::nullopt;
    const std::vector<std::string_view> levels = split_levels(filter);
    for (std::size_t i = 0; i < levels.size(); ++i) {
        const std::string_view level = levels[i];
        if (level.find_first_of("+#") == std::string_view::npos) continue;
        if (level == "+") continue;
        if (level == "#" && i + 1 == levels.size()) continue;
        return std::nullopt;  // a wildcard sharing its level, or '#' not last
    }
    return topic_filter(std::string(filter));
}

bool topic_filter::matches(std::string_view topic) const {
    return match_levels(levels_, topic, nullptr);
}

std::optional<std::string> topic_filter::sensor_id_for(std::string_view topic) const {
    std::string id;
    if (!match_levels(levels_, topic, &id)) return std::nullopt;
    return id;
}

std::string topic_sensor_id(const std::vector<topic_filter>& filters, std::string_view topic) {
    for (const topic_filter& filter : filters) {
        if (std::optional<std::string> id = filter.sensor_id_for(topic)) return *std::move(id);
    }
    return {};
}

}  // namespace sb
