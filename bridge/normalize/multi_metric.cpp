#include "normalize/multi_metric.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace sb::detail {

namespace {

// Depth is bounded by the pre-scan (max_depth), so this recursion is bounded too.
check collect(const rapidjson::Value& object, const std::string& prefix, std::int64_t timestamp,
              reading_sink& sink) {
    for (const auto& member : object.GetObject()) {
        const std::string_view key = as_view(member.name);
        if (is_timestamp_key(key)) continue;
        if (key.empty()) return fail(reject_reason::bad_id, "empty metric name");
        const std::string path =
            prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        const rapidjson::Value& v = member.value;
        if (v.IsObject()) {
            if (check c = collect(v, path, timestamp, sink)) return c;
            continue;
        }
        if (v.IsNull() || v.IsArray()) continue;
        reading_value value;
        if (check c = read_value(v, value)) return c;
        if (check c = sink.add(path, std::move(value), {}, timestamp)) return c;
    }
    return std::nullopt;
}

}  // namespace

check read_multi_metric(const rapidjson::Value& object, reading_sink& sink) {
    std::int64_t timestamp = 0;
    if (check c = read_timestamp(object, sink.in.received_at, timestamp)) return c;
    const std::size_t before = sink.out.size();
    if (check c = collect(object, std::string(sink.in.topic_id), timestamp, sink)) return c;
    if (sink.out.size() == before) return fail(reject_reason::no_value, "object has no metrics");
    return std::nullopt;
}

}  // namespace sb::detail
