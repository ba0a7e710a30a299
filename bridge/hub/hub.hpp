#pragma once
// Rooms and subscriptions: which connected client gets which sensor's readings. Lives on the
// network thread; no locks. Clients are held by weak handles: sessions own themselves.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/frame.hpp"
#include "core/stats.hpp"
#include "hub/room.hpp"

namespace sb {

// A connected subscriber, implemented by the WebSocket session (and by fakes in tests).
class hub_client {
public:
    virtual ~hub_client() = default;
    // Queues one frame for the peer. Must not block; the client applies its own bounds.
    virtual void deliver(const frame_ptr& f) = 0;
};

enum class subscribe_status { subscribed, already_subscribed, too_many };

class hub {
public:
    using client_id = std::uint64_t;

    explicit hub(std::size_t max_subscriptions_per_client) : max_subscriptions_(max_subscriptions_per_client) {}

    client_id connect(std::weak_ptr<hub_client> client);
    void disconnect(client_id id);

    subscribe_status subscribe(client_id id, const room& r);
    bool unsubscribe(client_id id, const room& r);  // false when it was not subscribed

    // Sends the reading's frame once to every client with a matching room (once per client even
    // when several of its rooms match).
    void publish(const std::string& sensor_id, const frame_ptr& f);

    std::size_t client_count() const noexcept { return clients_.size(); }
    std::size_t subscription_count() const noexcept { return subscription_count_; }
    std::uint64_t frames_sent() const noexcept { return frames_sent_; }

private:
    struct client_state {
        std::weak_ptr<hub_client> handle;
        std::vector<room> rooms;
        std::uint64_t last_publish = 0;  // publish_counter_ value when last delivered
    };
    struct prefix_subscription {
        std::string prefix;
        client_id id;
    };

    void deliver(client_state& c, const frame_ptr& f);
    void remove_room_index(client_id id, const room& r);

    std::size_t max_subscriptions_;
    client_id next_id_ = 1;
    std::uint64_t publish_counter_ = 0;
    std::uint64_t frames_sent_ = 0;
    std::size_t subscription_count_ = 0;
    std::unordered_map<client_id, client_state> clients_;
    std::unordered_map<std::string, std::vector<client_id>> exact_;  // sensor id -> clients
    std::vector<prefix_subscription> prefixes_;                      // prefix rooms, scanned
};

}  // namespace sb
