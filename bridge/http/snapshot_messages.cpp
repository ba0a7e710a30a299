#include "http/snapshot_messages.hpp"

#include "http/prepared_message.hpp"
#include "state/history_window.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb {
namespace {

// Replayed points are rebuilt as frames now; the latest reuses the frame built at ingest.
void replay_after(const sensor_registry::entry& e, std::uint64_t since, const message_sink& emit) {
    const history_window w = window_after(e, since);
    if (w.gap) {
        emit(make_prepared_message(reading_message_json(e.latest, true)));
        return;
    }
    for (std::size_t i = w.first; i < e.history.size(); ++i) {
        const bool latest = i + 1 == e.history.size();
        emit(latest ? e.message : make_prepared_message(reading_message_json(sensor_registry::to_reading(e, e.history[i]))));
    }
}

void status_if_not_online(std::string_view id, const status_tracker::state* s, const message_sink& emit) {
    if (!s || s->status == sensor_status::online) return;
    emit(make_prepared_message(status_json(std::string(id), to_string(s->status), s->since)));
}

}  // namespace

void snapshot_messages(const sensor_registry& latest, const room& r, std::optional<std::uint64_t> since,
                     const message_sink& emit) {
    if (r.is_prefix()) {
        latest.for_each_prefix(r.key(), [&](const sensor_registry::entry& e) { emit(e.message); });
        // Statuses from the tracker: a sensor known only by its status is in the room too.
        latest.status().for_each_prefix(
            r.key(), [&](std::string_view id, const status_tracker::state& s) { status_if_not_online(id, &s, emit); });
        return;
    }
    if (const sensor_registry::entry* e = latest.find(r.key())) {
        if (since) {
            replay_after(*e, *since, emit);
        } else {
            emit(e->message);
        }
    }
    status_if_not_online(r.key(), latest.status().find(r.key()), emit);
}

}  // namespace sb
