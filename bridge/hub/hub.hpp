#pragma once
// Rooms and subscriptions: which connected client gets which sensor's readings. Lives on the
// network thread; no locks. Clients are held by weak handles: sessions own themselves.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/stats.hpp"
#include "hub/rate_limiter.hpp"
#include "hub/room.hpp"
#include "wire/message_kind.hpp"
#include "wire/out_message.hpp"

namespace sb {

// A connected subscriber, implemented by the WebSocket session (and by fakes in tests).
class hub_client {
public:
    virtual ~hub_client() = default;
    // Queues one frame of sensor_id for the peer. Must not block; the client applies its own
    // bounds (and may conflate readings of the same sensor).
    virtual void deliver(const std::string& sensor_id, const out_message_ptr& f, message_kind kind) = 0;
};

enum class subscribe_status { subscribed, already_subscribed, too_many };

class hub {
public:
    using client_id = std::uint64_t;
    using clock = std::chrono::steady_clock;
    using clock_fn = std::function<clock::time_point()>;
    // Called with the time a held (rate-limited) reading becomes due: run flush_due() then.
    using wake_fn = std::function<void(clock::time_point due)>;

    explicit hub(std::size_t max_subscriptions_per_client, clock_fn now = clock::now)
        : max_subscriptions_(max_subscriptions_per_client), now_(std::move(now)) {}

    client_id connect(std::weak_ptr<hub_client> client);
    void disconnect(client_id id);

    // max_rate_hz in (0, 1000]: at most that many readings a second per sensor through this
    // room, latest wins, the last one always delivered; 0: every reading. Subscribing again
    // to a room the client has changes its rate (already_subscribed).
    subscribe_status subscribe(client_id id, const room& r, double max_rate_hz = 0);
    bool unsubscribe(client_id id, const room& r);  // false when it was not subscribed
    // The rooms the client follows (to check them again against a new token).
    std::vector<room> rooms_of(client_id id) const;

    // Sends the frame once to every client with a matching room (once per client even when
    // several of its rooms match; with rates on them, the fastest applies).
    void publish(const std::string& sensor_id, const out_message_ptr& f, message_kind kind = message_kind::reading);

    void set_wake(wake_fn wake) { wake_ = std::move(wake); }
    // Delivers the held readings that are due; returns when the next one will be.
    std::optional<clock::time_point> flush_due();

    std::size_t client_count() const noexcept { return clients_.size(); }
    std::size_t subscription_count() const noexcept { return subscription_count_; }
    std::uint64_t frames_sent() const noexcept { return frames_sent_; }

private:
    struct subscription {
        room r;
        clock::duration min_interval{};  // zero: every reading
    };
    struct client_state {
        std::weak_ptr<hub_client> handle;
        std::vector<subscription> subs;
        std::uint64_t last_publish = 0;        // publish_counter_ value when last delivered
        std::unique_ptr<rate_limiter> limiter;  // while any subscription has a rate
    };
    struct prefix_subscription {
        std::string prefix;
        client_id id;
    };

    void deliver(client_state& c, const std::string& sensor_id, const out_message_ptr& f, message_kind kind);
    void send(hub_client& client, const std::string& sensor_id, const out_message_ptr& f, message_kind kind);
    bool hold_back(client_state& c, hub_client& client, const std::string& sensor_id, const out_message_ptr& f,
                   message_kind kind);
    static clock::duration fastest_interval(const client_state& c, const std::string& sensor_id);
    void update_limiter(client_state& c);
    void remove_room_index(client_id id, const room& r);

    std::size_t max_subscriptions_;
    clock_fn now_;
    wake_fn wake_;
    client_id next_id_ = 1;
    std::uint64_t publish_counter_ = 0;
    std::uint64_t frames_sent_ = 0;
    std::size_t subscription_count_ = 0;
    std::size_t limited_clients_ = 0;  // clients with a rate_limiter
    std::unordered_map<client_id, client_state> clients_;
    std::unordered_map<std::string, std::vector<client_id>> exact_;  // sensor id -> clients
    std::vector<prefix_subscription> prefixes_;                      // prefix rooms, scanned
};

}  // namespace sb
