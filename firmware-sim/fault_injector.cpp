#include "fault_injector.hpp"

#include <map>
#include <utility>

namespace sim {
namespace {

constexpr std::uint32_t k_fault_stream = 0x66617574;  // "faut"

std::mt19937_64 make_rng(std::uint64_t seed) {
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      k_fault_stream};
    return std::mt19937_64(seq);
}

}  // namespace

fault_injector::fault_injector(double rate, std::uint64_t seed)
    : rate_(rate), rng_(make_rng(seed)) {}

std::optional<injected_fault> fault_injector::replace(const outgoing_message& original) {
    if (rate_ <= 0.0) return std::nullopt;
    // 53 random bits as a double in [0, 1): the same draws on every standard library.
    const double draw = static_cast<double>(rng_() >> 11) * 0x1.0p-53;
    if (draw >= rate_) return std::nullopt;

    const std::size_t index = next_kind_;
    next_kind_ = (next_kind_ + 1) % k_fault_kinds.size();
    const fault_kind kind = k_fault_kinds[index];
    outgoing_message fault;
    fault.topic = fault_topic(kind, original);
    fault.payload = fault_payload(kind, original, counts_[index]);
    fault.shape = original.shape;
    fault.subject = original.subject;
    ++counts_[index];
    ++total_;
    return injected_fault{kind, std::move(fault)};
}

std::uint64_t fault_injector::count(fault_kind kind) const {
    for (std::size_t i = 0; i < k_fault_kinds.size(); ++i) {
        if (k_fault_kinds[i] == kind) return counts_[i];
    }
    return 0;
}

std::string fault_injector::counts_by_kind() const {
    std::string text;
    for (std::size_t i = 0; i < k_fault_kinds.size(); ++i) {
        text += (text.empty() ? "" : " ") + std::string(fault_name(k_fault_kinds[i])) + "=" +
                std::to_string(counts_[i]);
    }
    return text;
}

std::string fault_injector::counts_by_reason() const {
    std::map<std::string, std::uint64_t> by_reason;
    for (std::size_t i = 0; i < k_fault_kinds.size(); ++i) {
        by_reason[bridge_reason(k_fault_kinds[i])] += counts_[i];
    }
    std::string text;
    for (const auto& entry : by_reason) {
        text += (text.empty() ? "" : " ") + entry.first + "=" + std::to_string(entry.second);
    }
    return text;
}

}  // namespace sim
