#pragma once
// The bounds the normalizer applies to one payload (docs/CONVENTIONS.md, "Rejected messages").
#include <cstddef>

namespace sb {

struct normalize_options {
    std::size_t max_payload = 64 * 1024;
    int max_depth = 16;
    std::size_t max_readings_per_message = 256;
    // Plain canonical objects skip the DOM (canonical_fast.hpp). Off only to compare the two
    // paths (tests, fuzzing): the results are the same either way.
    bool canonical_fast_path = true;
};

}  // namespace sb
