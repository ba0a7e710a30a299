#pragma once
// The bounds the normalizer applies to one payload (docs/CONVENTIONS.md, "Rejected messages").
#include <cstddef>

namespace sb {

struct normalize_options {
    std::size_t max_payload = 64 * 1024;
    int max_depth = 16;
    std::size_t max_readings_per_message = 256;
    // Home Assistant discovery configs held, their topics and payloads together (the parsed
    // strings kept of one are at most that): --max-discovery-bytes.
    std::size_t max_discovery_bytes = 16 * 1024 * 1024;
    // Plain canonical objects skip the DOM (canonical_fast.hpp). Off only to compare the two
    // paths (tests, fuzzing): the results are the same either way.
    bool canonical_fast_path = true;
};

}  // namespace sb
