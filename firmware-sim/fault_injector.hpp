// Replaces a seeded random fraction of publishes with bad payloads (--faults RATE).
#pragma once

#include "fault_payload.hpp"
#include "payload_format.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>

namespace sim {

struct injected_fault {
    fault_kind kind;
    outgoing_message message;  // topic: fault_topic() of the message it replaces; no readings
};

// Whether a message is replaced is a seeded coin flip with probability `rate`; which fault
// it becomes cycles through k_fault_kinds, so even a short run covers every kind.
class fault_injector {
public:
    fault_injector(double rate, std::uint64_t seed);

    // The fault replacing the next message, or nullopt to send it as is. Counts the fault.
    std::optional<injected_fault> replace(const outgoing_message& original);

    bool enabled() const { return rate_ > 0.0; }
    std::uint64_t total() const { return total_; }
    std::uint64_t count(fault_kind kind) const;
    // "malformed=3 oversized=2 ..." in k_fault_kinds order.
    std::string counts_by_kind() const;
    // "invalid_json=3 too_large=2 ..." in the bridge's terms, sorted by reason.
    std::string counts_by_reason() const;

private:
    double rate_;
    std::mt19937_64 rng_;
    std::size_t next_kind_ = 0;
    std::uint64_t total_ = 0;
    std::array<std::uint64_t, k_fault_kinds.size()> counts_{};
};

}  // namespace sim
