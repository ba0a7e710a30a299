#pragma once
// In-memory latest reading per sensor, its recent history and its online status, owned by the
// network thread. It answers snapshots, resumes and REST without touching disk; the SQLite
// writer persists readings behind the scenes.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/reading.hpp"
#include "persist/pending_hint.hpp"
#include "state/history_ring.hpp"
#include "state/status_tracker.hpp"
#include "wire/out_message.hpp"

namespace sb {

class sensor_registry {
public:
    // One past reading, compact: id and topic are the sensor's (from `latest`); its value and
    // unit through history.value(p) and history.unit(p).
    using history_point = history_ring::point;
    struct entry {
        reading latest;
        out_message_ptr message;  // the serialized sensor.reading message, reused for snapshots
        history_ring history;  // oldest first, latest included, ≤ history_depth
        std::uint64_t seq_floor = 0;  // next_seq is at least this (see advance_seqs)
        status_tracker::state* status = nullptr;  // its state in status(), once looked up
        std::string_view key;                      // the map's key (the sensor id)
        pending_hint pending;  // its record waiting for the SQLite writer (sqlite_store::put)
    };
    using map_type = std::map<std::string, entry, std::less<>>;

    // history_text_bytes bounds each sensor's history text table (history_ring).
    explicit sensor_registry(std::size_t max_sensors = 10000, std::size_t history_depth = 512,
                          status_options status = {}, std::size_t history_text_bytes = default_history_text_bytes)
        : max_sensors_(max_sensors),
          history_depth_(history_depth == 0 ? 1 : history_depth),
          history_text_bytes_(history_text_bytes),
          status_(with_bound(status, max_sensors)) {}
    static constexpr std::size_t default_history_text_bytes = 4096;
    sensor_registry(const sensor_registry&) = delete;  // index_ points into map_
    sensor_registry& operator=(const sensor_registry&) = delete;

    // The seq the next reading of this sensor gets: one above the last known, 1 for a new one.
    std::uint64_t next_seq(std::string_view sensor_id) const;

    // The per-reading path resolves its sensor once: slot() is the sensor's entry, made (with
    // no latest yet) when new; the caller checked admits() first and applies update(slot, ...)
    // in the same handler. next_seq and on_reading work on it without looking it up again.
    entry& slot(std::string_view sensor_id);
    static std::uint64_t next_seq(const entry& e) noexcept { return std::max(e.latest.seq + 1, e.seq_floor); }
    std::optional<status_change> on_reading(entry& e, std::int64_t now) {
        return status_.on_reading(e.key, e.status, now);
    }
    // A retained value new to the bridge, sent at heard_at (status_tracker::on_retained).
    std::optional<status_change> on_retained(entry& e, std::int64_t now, std::int64_t heard_at) {
        return status_.on_retained(e.key, e.status, now, heard_at);
    }
    void update(entry& e, reading r, out_message_ptr f);

    // After an unclean stop the last uncommitted readings' seqs may already have been sent,
    // even for sensors the store never saw: every known sensor's next seq skips `by` numbers,
    // and sensors new to this run start above `by`, so no seq is handed out twice.
    void advance_seqs(std::uint64_t by);

    // Forgets the sensor: latest, history and status (DELETE /api/sensors/{id}, --forget-after);
    // false when it knew neither a reading nor a status of it. A reading after this makes it
    // new again (seq from the start). The caller drops the store's rows.
    bool remove(std::string_view sensor_id);

    // Whether a reading for this sensor fits: known sensors always do, new ones up to the bound.
    bool admits(std::string_view sensor_id) const;

    // Replaces the sensor's latest and appends it to its bounded history (dropping points with
    // a seq not below it: only a store reloaded after a crash has those). The caller checked
    // admits() first.
    void update(reading r, out_message_ptr f);

    // Start-up: puts a stored older reading of a sensor already loaded by update() back in
    // its history, oldest first. Ignored for unknown sensors and seqs not below the latest.
    void restore_history(const reading& r);

    // The reading a history point stands for.
    static reading to_reading(const entry& e, const history_point& p);

    const entry* find(std::string_view sensor_id) const;
    entry* find(std::string_view sensor_id) { return lookup(sensor_id); }

    // Sensors whose id starts with prefix, in id order ("" = all).
    template <class F>
    void for_each_prefix(std::string_view prefix, F&& f) const {
        for (auto it = map_.lower_bound(prefix); it != map_.end(); ++it) {
            if (it->first.compare(0, prefix.size(), prefix) != 0) break;
            f(it->second);
        }
    }

    // Online / stale / offline per sensor (status topics and silences), bounded by max_sensors.
    status_tracker& status() noexcept { return status_; }
    const status_tracker& status() const noexcept { return status_; }

    std::size_t size() const noexcept { return map_.size(); }
    std::size_t max_sensors() const noexcept { return max_sensors_; }
    std::size_t history_depth() const noexcept { return history_depth_; }
    const map_type& all() const noexcept { return map_; }

private:
    static status_options with_bound(status_options o, std::size_t max_sensors) {
        o.max_sensors = max_sensors;
        return o;
    }

    entry* lookup(std::string_view sensor_id) const;

    std::size_t max_sensors_;
    std::size_t history_depth_;
    std::size_t history_text_bytes_;
    map_type map_;  // ordered: prefix rooms and REST walk it
    // The same entries by hash, for the per-reading lookups; keys view map_'s (its nodes never
    // move; remove() erases both).
    std::unordered_map<std::string_view, entry*> index_;
    std::uint64_t new_sensor_seq_ = 1;
    status_tracker status_;
};

}  // namespace sb
