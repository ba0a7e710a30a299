#pragma once
// payload -> readings | rejection reason. Pure: no I/O, no clock, no globals (docs/CONVENTIONS.md).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/reading.hpp"
#include "normalize/normalize_options.hpp"
#include "normalize/status_topic.hpp"

namespace sb {

enum class reject_reason {
    invalid_json,   // not parseable (truncated, garbage, empty)
    too_large,      // payload over max_payload
    too_deep,       // nesting over max_depth
    bad_id,         // no usable id, or not 1-128 bytes of UTF-8 without control characters or '*'
    non_finite,     // NaN, Inf, 1e999
    bad_string,     // string value over 128 bytes or not UTF-8
    no_value,       // parsed, but nothing in it is a reading
};

// Stable snake_case names used as keys of rejectedByReason and in logs.
std::string_view to_string(reject_reason r) noexcept;

struct normalize_input {
    std::string_view topic;
    std::string_view topic_id;   // id derived from the topic filter's wildcards ("" if none)
    std::string_view payload;
    std::int64_t received_at = 0;  // ms since the epoch
};

struct normalize_result {
    std::vector<reading> readings;        // seq = 0: the pipeline assigns it
    std::optional<status_update> status;  // set instead of readings for status topics
    std::optional<reject_reason> rejected;
    std::string detail;                   // short human explanation of a rejection
    bool ignored = false;  // a topic that is no device's (control_topic.hpp ignored_topic): skipped

    bool ok() const noexcept { return !rejected.has_value(); }
};

class normalizer {
public:
    explicit normalizer(normalize_options opts = {}) : opts_(opts) {}
    normalize_result normalize(const normalize_input& in) const;
    // The same into out, reusing its storage (the pipeline keeps one result for every message).
    void normalize(const normalize_input& in, normalize_result& out) const;
    const normalize_options& options() const noexcept { return opts_; }

private:
    normalize_options opts_;
};

}  // namespace sb
