#pragma once
// Where a sensor's record waits in pending_writes, remembered by the caller (the sensor
// registry keeps one per sensor) so that the next put of the same sensor skips the map lookup.
// Valid only for the generation it was made in: pending_writes starts a new one whenever
// records may move or go (take, requeue), and a stale hint is just looked up again. Opaque to
// everyone but pending_writes.
#include <cstdint>

namespace sb {

struct pending_sensor;

struct pending_hint {
    pending_sensor* slot = nullptr;
    std::uint64_t generation = 0;  // pending_writes' generations start at 1
};

}  // namespace sb
