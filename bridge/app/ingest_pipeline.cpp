#include "app/ingest_pipeline.hpp"

#include <algorithm>
#include <functional>

#include "core/clock.hpp"
#include "core/log.hpp"
#include "hub/hub.hpp"
#include "persist/reading_sink.hpp"
#include "state/device_status.hpp"
#include "state/sensor_registry.hpp"
#include "wire/dead_letter.hpp"
#include "wire/message_kind.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb {

ingest_pipeline::ingest_pipeline(normalize_options nopts, std::vector<topic_filter> filters, sensor_registry& latest,
                                 hub& h, reading_sink& store, make_message_fn make_message)
    : normalizer_(nopts), filters_(std::move(filters)), latest_(latest), hub_(h), store_(store),
      make_message_(make_message), discovery_(latest.max_sensors(), nopts.max_discovery_bytes) {}

void ingest_pipeline::count_rejected(std::string_view reason, std::uint64_t n) {
    stats_.received += n;
    stats_.rejected += n;
    stats_.rejected_by_reason[std::string(reason)] += n;
    // The messages are gone (never copied off the client's thread): a line, no dead letter.
    if (log_enabled(log_level::warn) && reject_log_.allow()) {
        std::string fields = "reason=" + std::string(reason) + " count=" + std::to_string(n);
        if (reject_log_.suppressed()) fields += " suppressed=" + std::to_string(reject_log_.suppressed());
        log_line(log_level::warn, "ingest", "payloads rejected", fields);
    }
}

void ingest_pipeline::process(const mqtt_message& m) {
    ++stats_.received;
    const std::uint64_t payload_hash = std::hash<std::string_view>{}(m.payload);
    if (redelivered_.repeat(m.qos, m.packet_id, m.dup, m.topic, payload_hash)) {
        ++stats_.duplicates;
        return;
    }
    if (discovery_message(m, payload_hash)) return;
    std::string topic_id = topic_sensor_id(filters_, m.topic);
    normalize_result& result = scratch_;
    normalizer_.normalize({m.topic, topic_id, m.payload, m.received_at}, result);
    if (result.ignored) {
        ++stats_.ignored;
        return;
    }
    if (!result.ok()) {
        reject(m, to_string(*result.rejected), result.detail);
        return;
    }
    if (result.status) {
        apply_status(*result.status);
        ++stats_.accepted;
        return;
    }
    publish_readings(m, result.readings, payload_hash);
}

void ingest_pipeline::publish_readings(const mqtt_message& m, std::vector<reading>& readings,
                                       std::uint64_t payload_hash) {
    std::size_t published = 0;
    std::size_t known = 0;
    std::vector<std::string> refused;  // new ids over --max-sensors
    for (reading& r : readings) {
        if (!latest_.admits(r.sensor_id)) {
            refused.push_back(std::move(r.sensor_id));
            continue;
        }
        r.payload_hash = payload_hash;
        if (m.retained) {
            if (retained_known(r)) {
                ++known;
                continue;
            }
            r.retained = true;
        }
        publish(std::move(r), m.received_steady);
        ++published;
    }
    if (!refused.empty()) {
        const bool none_fit = published == 0 && known == 0;
        const std::string detail = refused_detail(refused, readings.size());
        if (none_fit) return reject(m, "too_many_sensors", detail);
        // Partly fitting: the known sensors' readings stay accepted, the rest is reported.
        ++stats_.partly_refused;
        report(m, "too_many_sensors", detail, "readings refused");
    }
    if (published == 0 && known > 0) ++stats_.retained_skipped;
    ++stats_.accepted;
}

// "2 of 3 readings for new sensors past --max-sensors (100): a, b", the ids cut to fit the
// envelope's detail (256 bytes).
std::string ingest_pipeline::refused_detail(const std::vector<std::string>& ids, std::size_t readings) const {
    std::string d = std::to_string(ids.size()) + " of " + std::to_string(readings) +
                    " readings for new sensors past --max-sensors (" + std::to_string(latest_.max_sensors()) + "):";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (d.size() + ids[i].size() + 2 > 240) {
            d += " ... (" + std::to_string(ids.size() - i) + " more)";
            break;
        }
        d += (i == 0 ? " " : ", ") + ids[i];
    }
    return d;
}

// A retained delivery is the sensor's current reading again when it has the same value and
// its own timestamp is the same (the payload had one: it differs from the receipt time), or
// the payload has the same bytes. A retained value older than the current one is no news either.
bool ingest_pipeline::retained_known(const reading& r) const {
    const sensor_registry::entry* e = latest_.find(r.sensor_id);
    if (e == nullptr || e->latest.seq == 0) return false;
    const reading& current = e->latest;
    const bool own_time = r.timestamp != r.received_at;
    if (own_time && current.timestamp > r.timestamp) return true;
    if (current.value != r.value) return false;
    return own_time ? current.timestamp == r.timestamp : current.payload_hash == r.payload_hash;
}

void ingest_pipeline::reject(const mqtt_message& m, std::string_view reason, const std::string& detail) {
    ++stats_.rejected;
    ++stats_.rejected_by_reason[std::string(reason)];
    report(m, reason, detail, "payload rejected");
}

// One warn line (at most 5 a second) and the dead-letter envelope, for a rejection and for a
// message whose readings only partly fit.
void ingest_pipeline::report(const mqtt_message& m, std::string_view reason, const std::string& detail,
                             std::string_view what) {
    if (log_enabled(log_level::warn) && reject_log_.allow()) {
        std::string fields = "reason=" + std::string(reason) + " topic=" + log_quote(m.topic) +
                             " detail=" + log_quote(detail) + " excerpt=" + log_quote(m.payload, 48);
        if (reject_log_.suppressed()) fields += " suppressed=" + std::to_string(reject_log_.suppressed());
        log_line(log_level::warn, "ingest", what, fields);
    }
    if (!dead_letter_) return;
    std::string envelope = dead_letter_json({reason, detail, m.topic, m.payload, m.received_at});
    if (dead_letter_(std::move(envelope))) {
        ++stats_.dead_lettered;
    } else {
        ++stats_.dead_letter_failed;
    }
}

// The status id is a device's: it also covers the device's sensors (`<id>.<metric>`).
void ingest_pipeline::apply_status(const status_update& st) {
    const auto changes = apply_device_status(latest_, st.sensor_id, st.online, monotonic_epoch_ms());
    for (const status_change& change : changes) publish_status(change);
}

void ingest_pipeline::publish(reading r, std::chrono::steady_clock::time_point received) {
    sensor_registry::entry& e = latest_.slot(r.sensor_id);  // one lookup for the whole reading
    r.seq = sensor_registry::next_seq(e);
    reading_json_fields fields;
    out_message_ptr f = make_message_(reading_message_json(r, fields));
    const std::uint64_t sent_before = hub_.frames_sent();
    hub_.publish(r.sensor_id, f);
    const bool timed = received != std::chrono::steady_clock::time_point{};
    if (timed && hub_.frames_sent() != sent_before) {
        delivery_seconds_.observe(std::chrono::steady_clock::now() - received);
    }
    // Silences are measured from the receipt (already read: no second clock call); a retained
    // value's from its own timestamp.
    const std::int64_t now = timed ? monotonic_epoch_ms(received) : monotonic_epoch_ms();
    const auto change = r.retained ? latest_.on_retained(e, now, now - std::max<std::int64_t>(0, r.received_at - r.timestamp))
                                   : latest_.on_reading(e, now);
    if (change) publish_status(*change);  // back online (or stale at once): after the reading
    // The history point reuses the frame's texts; still live and in memory when not queued.
    if (!store_.put(r, f->text(), fields, &e.pending)) ++unpersisted_;
    latest_.update(e, std::move(r), std::move(f));
}

bool ingest_pipeline::forget(std::string_view id) {
    const std::string sensor_id(id);
    if (!latest_.remove(sensor_id)) return false;
    store_.forget(sensor_id);
    hub_.publish(sensor_id, make_message_(removed_json(sensor_id)), message_kind::status);
    return true;
}

std::size_t ingest_pipeline::forget_silent(std::int64_t silent_ms) {
    const std::int64_t before = now_ms() - silent_ms;  // readings carry wall-clock receive times
    std::vector<std::string> ids;
    for (const auto& [id, e] : latest_.all()) {
        if (e.latest.seq != 0 && e.latest.received_at < before) ids.push_back(id);
    }
    latest_.status().for_each_heard_before(monotonic_epoch_ms() - silent_ms, [&](std::string_view id) {
        if (latest_.find(id) == nullptr) ids.emplace_back(id);
    });
    for (const std::string& id : ids) forget(id);
    if (!ids.empty()) {
        SB_LOG(info, "app", "silent sensors forgotten",
               "count=" + std::to_string(ids.size()) + " first=" + log_quote(ids.front()) +
                   " silent_ms=" + std::to_string(silent_ms));
    }
    return ids.size();
}

void ingest_pipeline::publish_status(const status_change& change) {
    // A transition, not a value: not rate-limited, and a conflating client keeps the newest
    // status per sensor apart from its readings.
    hub_.publish(change.sensor_id, make_message_(status_json(change.sensor_id, to_string(change.status), change.since)),
              message_kind::status);
}

}  // namespace sb
