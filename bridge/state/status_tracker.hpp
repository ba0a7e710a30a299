#pragma once
// Whether each sensor is talking (docs/PROTOCOL.md §3 sensor.status): online, stale (silent for
// several of its usual intervals) or offline (its status topic said so). The usual interval is
// learned: the median of the last few gaps between readings, so jitter and the odd pause do
// not move it. Pure logic on the network thread: callers pass the time (ms, from a clock that
// does not jump) and publish the changes.
#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <unordered_map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb {

enum class sensor_status { online, stale, offline };
std::string_view to_string(sensor_status s) noexcept;

struct status_options {
    double stale_factor = 3.0;          // silent usual intervals before a sensor is stale
    std::int64_t stale_min_ms = 10000;  // never stale sooner; also the bound while no interval is known
    std::size_t max_sensors = 100000;
};

struct status_change {
    std::string sensor_id;
    sensor_status status = sensor_status::online;
    std::int64_t since = 0;
};

class status_tracker {
public:
    static constexpr std::size_t gap_samples = 8;

    struct state {
        sensor_status status = sensor_status::online;
        std::int64_t since = 0;         // when the status began
        std::int64_t last_seen = 0;     // last reading, or the announcement that ended offline
        std::int64_t last_reading = 0;  // 0: none yet
        std::uint32_t interval_ms = 0;  // learned usual interval; 0 while unknown
        // Set by the sensor's discovery config (expire_after): the silence after which it is
        // stale, instead of the learned one; 0: learned.
        std::uint32_t expire_ms = 0;
        std::array<std::uint32_t, gap_samples> gaps{};  // ring of the latest gaps
        std::uint8_t gap_count = 0;
        std::uint8_t gap_next = 0;
        bool has_value = false;  // a reading (live or retained) came: only then can it be stale
    };

    explicit status_tracker(status_options opts = {}) : opts_(opts) {}
    status_tracker(const status_tracker&) = delete;  // index_ points into states_
    status_tracker& operator=(const status_tracker&) = delete;

    // A reading arrived: learns the gap; a change when it ends a stale or offline spell.
    std::optional<status_change> on_reading(std::string_view sensor_id, std::int64_t now);
    // The same, with the caller keeping the sensor's state pointer between readings (states are
    // never removed nor moved): one lookup per sensor instead of one per reading.
    std::optional<status_change> on_reading(std::string_view sensor_id, state*& cached, std::int64_t now);
    // A retained value new to the bridge, sent by the sensor at heard_at (its own timestamp, on
    // this clock): no proof the sensor talks now. It counts as heard at heard_at, so an old
    // value makes the sensor stale at once (a change); no gap is learned and offline stays.
    std::optional<status_change> on_retained(std::string_view sensor_id, state*& cached, std::int64_t now,
                                             std::int64_t heard_at);
    // A status topic said online or offline. A change for a new sensor, and when offline
    // starts or ends; "online" does not end a stale spell: only a reading shows it talks.
    std::optional<status_change> on_presence(std::string_view sensor_id, bool online, std::int64_t now);
    // A stored reading's receive time, oldest first, at start-up: learns, changes nothing.
    void restore(std::string_view sensor_id, std::int64_t received_at);
    // Every online sensor silent for longer than its threshold becomes stale at now; the
    // changes are appended. One pass over all sensors.
    void scan(std::int64_t now, std::vector<status_change>& changes);

    // Forgets the sensor (DELETE /api/sensors/{id}, --forget-after); false when unknown. State
    // pointers held for it (sensor_registry::entry::status) must be dropped with it.
    bool remove(std::string_view sensor_id);
    // Sensors known only by a status (no reading) last heard before `before`, for --forget-after.
    template <class F>
    void for_each_heard_before(std::int64_t before, F&& f) const {
        for (const auto& [id, s] : states_) {
            if (s.last_reading == 0 && s.last_seen < before) f(std::string_view(id));
        }
    }

    // The silence after which the sensor is stale.
    std::int64_t threshold_ms(const state& s) const noexcept;
    const state* find(std::string_view sensor_id) const;
    std::size_t size() const noexcept { return states_.size(); }

    // f(id, state) for each sensor whose id starts with prefix, in id order ("" = all):
    // sensors known only by a status (a device's will, an availability topic) included.
    template <class F>
    void for_each_prefix(std::string_view prefix, F&& f) const {
        for (auto it = states_.lower_bound(prefix); it != states_.end(); ++it) {
            if (it->first.compare(0, prefix.size(), prefix) != 0) break;
            f(std::string_view(it->first), it->second);
        }
    }
    const status_options& options() const noexcept { return opts_; }

private:
    state* find_or_add(std::string_view sensor_id, std::int64_t now, bool& added);
    state* find_mutable(std::string_view sensor_id) const;
    static void learn_gap(state& s, std::int64_t at);

    status_options opts_;
    std::map<std::string, state, std::less<>> states_;  // ordered: scan() and its tests
    // The same states by hash, for the per-reading lookup; keys view states_'s (removed together).
    std::unordered_map<std::string_view, state*> index_;
};

}  // namespace sb
