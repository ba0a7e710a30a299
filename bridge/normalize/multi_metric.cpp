#include "normalize/multi_metric.hpp"

#include <string>
#include <string_view>
#include <utility>

#include "normalize/unit_hints.hpp"

namespace sb::detail {

namespace {

// What every reading of one message shares.
struct message_context {
    std::int64_t timestamp = 0;
    unit_hints units;
};

// Depth is bounded by the pre-scan (max_depth), so this recursion is bounded too.
check collect(const rapidjson::Value& object, const std::string& prefix,
              const message_context& context, reading_sink& sink) {
    for (const auto& member : object.GetObject()) {
        const std::string_view key = as_view(member.name);
        const rapidjson::Value& v = member.value;
        if (is_timestamp_key(key) || is_unit_declaration(key, v) || is_metadata_key(key)) continue;
        if (key.empty()) return fail(reject_reason::bad_id, "empty metric name");
        const std::string path =
            prefix.empty() ? std::string(key) : prefix + "." + std::string(key);
        if (v.IsObject()) {
            if (check c = collect(v, path, context, sink)) return c;
            continue;
        }
        if (v.IsNull() || v.IsArray()) continue;
        reading_value value;
        if (check c = read_value(v, value)) return c;
        std::string unit = v.IsNumber() ? context.units.unit_for(key) : std::string();
        if (check c = sink.add(path, std::move(value), std::move(unit), context.timestamp)) {
            return c;
        }
    }
    return std::nullopt;
}

}  // namespace

check read_multi_metric(const rapidjson::Value& object, reading_sink& sink) {
    message_context context;
    if (check c = read_timestamp(object, sink.in.received_at, context.timestamp)) return c;
    if (check c = unit_hints::read(object, context.units)) return c;
    const std::size_t before = sink.out.size();
    if (check c = collect(object, std::string(sink.in.topic_id), context, sink)) return c;
    if (sink.out.size() == before) return fail(reject_reason::no_value, "object has no metrics");
    return std::nullopt;
}

}  // namespace sb::detail
