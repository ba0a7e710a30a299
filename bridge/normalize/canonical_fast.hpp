#pragma once
// A fast path for the one shape most sensors send: a flat canonical object
// `{"sensorId":"...","value":...,"unit":"...","timestamp":...}`. It reads the plainest form
// of it in one pass without building a DOM, and gives up (returns false, nothing appended) on
// anything else: escapes, other keys, nesting, exponents, long numbers, null, duplicates, or a
// message that would be rejected. The general path (RapidJSON DOM) then decides, so every
// rejection keeps its reason and detail. What it accepts it reads exactly as the general path
// would, numbers included (the RapidJSON arithmetic for the number forms it takes); the
// normalizer's tests and its fuzz target compare the two paths on every input.
#include "normalize/fields.hpp"

namespace sb::detail {

// Appends the payload's reading to the sink and returns true, or returns false having done
// nothing.
bool read_canonical_fast(reading_sink& sink);

}  // namespace sb::detail
