#include "hub/hub.hpp"

#include <algorithm>

namespace sb {
namespace {

hub::clock::duration interval_for(double max_rate_hz) {
    if (!(max_rate_hz > 0)) return hub::clock::duration::zero();
    return std::chrono::duration_cast<hub::clock::duration>(std::chrono::duration<double>(1.0 / max_rate_hz));
}

}  // namespace

hub::client_id hub::connect(std::weak_ptr<hub_client> client) {
    client_id id = next_id_++;
    clients_.emplace(id, client_state{std::move(client), {}, 0, nullptr});
    return id;
}

void hub::disconnect(client_id id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    for (const subscription& s : it->second.subs) remove_room_index(id, s.r);
    subscription_count_ -= it->second.subs.size();
    if (it->second.limiter) --limited_clients_;
    clients_.erase(it);
}

subscribe_status hub::subscribe(client_id id, const room& r, double max_rate_hz) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return subscribe_status::too_many;
    client_state& c = it->second;
    auto& subs = c.subs;
    auto pos = std::find_if(subs.begin(), subs.end(), [&](const subscription& s) { return s.r == r; });
    if (pos != subs.end()) {
        pos->min_interval = interval_for(max_rate_hz);
        update_limiter(c);
        return subscribe_status::already_subscribed;
    }
    if (subs.size() >= max_subscriptions_) return subscribe_status::too_many;
    subs.push_back(subscription{r, interval_for(max_rate_hz)});
    update_limiter(c);
    ++subscription_count_;
    if (r.is_prefix()) {
        prefixes_.push_back(prefix_subscription{r.key(), id});
    } else {
        exact_[r.key()].push_back(id);
    }
    return subscribe_status::subscribed;
}

bool hub::unsubscribe(client_id id, const room& r) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    auto& subs = it->second.subs;
    auto pos = std::find_if(subs.begin(), subs.end(), [&](const subscription& s) { return s.r == r; });
    if (pos == subs.end()) return false;
    subs.erase(pos);
    --subscription_count_;
    remove_room_index(id, r);
    update_limiter(it->second);
    return true;
}

std::vector<room> hub::rooms_of(client_id id) const {
    std::vector<room> rooms;
    auto it = clients_.find(id);
    if (it == clients_.end()) return rooms;
    for (const auto& s : it->second.subs) rooms.push_back(s.r);
    return rooms;
}

// After the client's rooms or rates changed: held readings of sensors it no longer follows
// are dropped; without any rate left, the rest go out now (the last value is never lost).
void hub::update_limiter(client_state& c) {
    const bool limited = std::any_of(c.subs.begin(), c.subs.end(),
                                     [](const subscription& s) { return s.min_interval > clock::duration::zero(); });
    if (limited && !c.limiter) {
        c.limiter = std::make_unique<rate_limiter>();
        ++limited_clients_;
    }
    if (!c.limiter) return;
    c.limiter->drop_unless([&](const std::string& sensor_id) {
        return std::any_of(c.subs.begin(), c.subs.end(), [&](const subscription& s) { return s.r.matches(sensor_id); });
    });
    if (limited) return;
    if (auto client = c.handle.lock()) {
        c.limiter->flush_due(clock::time_point::max(), [&](const std::string& sensor_id, const out_message_ptr& f) {
            send(*client, sensor_id, f, message_kind::reading);
        });
    }
    c.limiter.reset();
    --limited_clients_;
}

void hub::remove_room_index(client_id id, const room& r) {
    if (r.is_prefix()) {
        auto pos = std::find_if(prefixes_.begin(), prefixes_.end(), [&](const prefix_subscription& p) {
            return p.id == id && p.prefix == r.key();
        });
        if (pos != prefixes_.end()) prefixes_.erase(pos);
        return;
    }
    auto bucket = exact_.find(r.key());
    if (bucket == exact_.end()) return;
    auto& ids = bucket->second;
    ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    if (ids.empty()) exact_.erase(bucket);
}

// The shortest interval of the client's rooms matching the sensor; zero when one has no rate.
hub::clock::duration hub::fastest_interval(const client_state& c, const std::string& sensor_id) {
    clock::duration fastest = clock::duration::max();
    for (const subscription& s : c.subs) {
        if (!s.r.matches(sensor_id)) continue;
        if (s.min_interval == clock::duration::zero()) return s.min_interval;
        fastest = std::min(fastest, s.min_interval);
    }
    return fastest == clock::duration::max() ? clock::duration::zero() : fastest;
}

void hub::send(hub_client& client, const std::string& sensor_id, const out_message_ptr& f, message_kind kind) {
    client.deliver(sensor_id, f, kind);
    ++frames_sent_;
}

// True when the rate limit keeps the frame back for now.
bool hub::hold_back(client_state& c, hub_client& client, const std::string& sensor_id, const out_message_ptr& f,
                    message_kind kind) {
    const clock::time_point now = now_();
    if (kind != message_kind::reading) {
        // A status after a held reading: that reading first, so the client sees them in order.
        if (out_message_ptr held = c.limiter->take(sensor_id, now)) send(client, sensor_id, held, message_kind::reading);
        return false;
    }
    const clock::duration interval = fastest_interval(c, sensor_id);
    if (interval == clock::duration::zero()) {
        c.limiter->take(sensor_id, now);  // an unlimited room now covers the sensor: latest wins
        return false;
    }
    if (c.limiter->admit(sensor_id, f, interval, now)) return false;
    if (wake_) wake_(*c.limiter->next_due());
    return true;
}

void hub::deliver(client_state& c, const std::string& sensor_id, const out_message_ptr& f, message_kind kind) {
    if (c.last_publish == publish_counter_) return;  // already got this frame via another room
    c.last_publish = publish_counter_;
    auto client = c.handle.lock();
    if (!client) return;
    if (c.limiter && hold_back(c, *client, sensor_id, f, kind)) return;
    send(*client, sensor_id, f, kind);
}

void hub::publish(const std::string& sensor_id, const out_message_ptr& f, message_kind kind) {
    ++publish_counter_;
    if (auto bucket = exact_.find(sensor_id); bucket != exact_.end()) {
        for (client_id id : bucket->second) {
            if (auto c = clients_.find(id); c != clients_.end()) deliver(c->second, sensor_id, f, kind);
        }
    }
    for (const auto& p : prefixes_) {
        if (sensor_id.compare(0, p.prefix.size(), p.prefix) != 0) continue;
        if (auto c = clients_.find(p.id); c != clients_.end()) deliver(c->second, sensor_id, f, kind);
    }
}

std::optional<hub::clock::time_point> hub::flush_due() {
    std::optional<clock::time_point> next;
    if (limited_clients_ == 0) return next;
    const clock::time_point now = now_();
    for (auto& [id, c] : clients_) {
        if (!c.limiter || c.limiter->held() == 0) continue;
        auto client = c.handle.lock();
        if (!client) continue;  // about to be disconnected
        c.limiter->flush_due(now, [&](const std::string& sensor_id, const out_message_ptr& f) {
            send(*client, sensor_id, f, message_kind::reading);
        });
        auto due = c.limiter->next_due();
        if (due && (!next || *due < *next)) next = due;
    }
    return next;
}

}  // namespace sb
