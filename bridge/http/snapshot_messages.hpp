#pragma once
// What a new subscriber gets before live readings (docs/PROTOCOL.md §3): the latest reading of each
// sensor in the room, or for `since` on an exact room the readings after that seq, replayed
// oldest first from the history, or the latest marked "gap": true when the history no longer
// holds all of them. Then a sensor.status for each sensor of the room that is not online,
// sensors known only by a status (no reading yet) included.
#include <cstdint>
#include <functional>
#include <optional>

#include "hub/room.hpp"
#include "state/sensor_registry.hpp"
#include "wire/out_message.hpp"

namespace sb {

using message_sink = std::function<void(const out_message_ptr&)>;

// Calls emit with each message, in order. since is ignored on prefix rooms (the parser refuses it).
void snapshot_messages(const sensor_registry& latest, const room& r, std::optional<std::uint64_t> since,
                     const message_sink& emit);

}  // namespace sb
