#pragma once
// Where the data path hands each reading to be persisted: the SQLite store, or a fake in the
// pipeline's unit tests. put() never blocks.
#include <string_view>

#include "core/reading.hpp"
#include "persist/pending_hint.hpp"
#include "wire/reading_json.hpp"

namespace sb {

class reading_sink {
public:
    virtual ~reading_sink() = default;
    // The reading becomes its sensor's pending latest and a point of its history, the point
    // copied from the reading's message text (reading_message_json with fields). hint: the
    // sensor's own (sensor_registry::entry::pending), saving a lookup per reading. False when
    // it could not be queued (backlog full, stopped): the caller counts it as unpersisted.
    virtual bool put(reading r, std::string_view message, const reading_json_fields& fields, pending_hint* hint) = 0;
    // Drops the sensor's rows (latest and history) and whatever of it waits to be written;
    // readings put after this are kept. Hints held for it become stale.
    virtual void forget(std::string_view sensor_id) = 0;
};

}  // namespace sb
