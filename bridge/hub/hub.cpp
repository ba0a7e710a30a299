#include "hub/hub.hpp"

#include <algorithm>

namespace sb {

hub::client_id hub::connect(std::weak_ptr<hub_client> client) {
    client_id id = next_id_++;
    clients_.emplace(id, client_state{std::move(client), {}, 0});
    return id;
}

void hub::disconnect(client_id id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    for (const room& r : it->second.rooms) remove_room_index(id, r);
    subscription_count_ -= it->second.rooms.size();
    clients_.erase(it);
}

subscribe_status hub::subscribe(client_id id, const room& r) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return subscribe_status::too_many;
    auto& rooms = it->second.rooms;
    if (std::find(rooms.begin(), rooms.end(), r) != rooms.end()) return subscribe_status::already_subscribed;
    if (rooms.size() >= max_subscriptions_) return subscribe_status::too_many;
    rooms.push_back(r);
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
    auto& rooms = it->second.rooms;
    auto pos = std::find(rooms.begin(), rooms.end(), r);
    if (pos == rooms.end()) return false;
    rooms.erase(pos);
    --subscription_count_;
    remove_room_index(id, r);
    return true;
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

void hub::deliver(client_state& c, const frame_ptr& f) {
    if (c.last_publish == publish_counter_) return;  // already got this frame via another room
    c.last_publish = publish_counter_;
    if (auto client = c.handle.lock()) {
        client->deliver(f);
        ++frames_sent_;
    }
}

void hub::publish(const std::string& sensor_id, const frame_ptr& f) {
    ++publish_counter_;
    if (auto bucket = exact_.find(sensor_id); bucket != exact_.end()) {
        for (client_id id : bucket->second) {
            if (auto c = clients_.find(id); c != clients_.end()) deliver(c->second, f);
        }
    }
    for (const auto& p : prefixes_) {
        if (sensor_id.compare(0, p.prefix.size(), p.prefix) != 0) continue;
        if (auto c = clients_.find(p.id); c != clients_.end()) deliver(c->second, f);
    }
}

}  // namespace sb
