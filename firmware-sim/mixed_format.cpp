#include "mixed_format.hpp"

#include <cstdint>
#include <random>
#include <utility>

namespace sim {
namespace {

constexpr std::array<format_kind, 4> k_member_kinds{format_kind::canonical, format_kind::bare,
                                                    format_kind::senml, format_kind::multi};
constexpr std::array<const char*, 4> k_member_names{"canonical", "bare", "senml", "multi"};
constexpr std::uint32_t k_mix_stream = 0x6d697864;  // "mixd"

// Round-robin, then a Fisher-Yates shuffle written out (not std::shuffle, whose draws
// differ between standard libraries) so the assignment depends on the seed alone.
std::vector<std::size_t> assign_formats(std::size_t devices, std::uint64_t seed) {
    std::vector<std::size_t> assignment(devices);
    for (std::size_t d = 0; d < devices; ++d) assignment[d] = d % k_member_kinds.size();
    std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                      k_mix_stream};
    std::mt19937_64 rng(seq);
    for (std::size_t i = devices; i > 1; --i) {
        std::swap(assignment[i - 1], assignment[rng() % i]);
    }
    return assignment;
}

}  // namespace

mixed_format::mixed_format(format_context context)
    : context_(std::move(context)),
      device_format_(assign_formats(context_.layout->devices(), context_.seed)) {
    for (std::size_t f = 0; f < k_formats; ++f) {
        format_context member = context_;
        member.devices.clear();
        for (const std::size_t device : context_.devices) {
            if (device_format_[device] == f) member.devices.push_back(device);
        }
        formats_[f] = make_payload_format(k_member_kinds[f], std::move(member));
    }
}

std::vector<outgoing_message> mixed_format::encode(const sim_reading& reading) {
    const std::size_t device = context_.layout->device_of(reading.index);
    return formats_[device_format_[device]]->encode(reading);
}

std::vector<outgoing_message> mixed_format::flush() {
    std::vector<outgoing_message> messages;
    for (const auto& format : formats_) {
        for (outgoing_message& message : format->flush()) messages.push_back(std::move(message));
    }
    return messages;
}

std::vector<outgoing_message> mixed_format::statuses(const char* state) const {
    std::vector<outgoing_message> messages;
    for (const auto& format : formats_) {
        for (outgoing_message& message : format->statuses(state)) {
            messages.push_back(std::move(message));
        }
    }
    return messages;
}

std::string mixed_format::describe() const {
    const device_layout& layout = *context_.layout;
    std::string text;
    for (const std::size_t device : context_.devices) {
        const std::size_t f = device_format_[device];
        text += (text.empty() ? "" : ", ") + layout.device_name(device) + " " + k_member_names[f];
        if (k_member_kinds[f] == format_kind::canonical || k_member_kinds[f] == format_kind::bare) {
            text += " (" + layout.sensor_id(layout.first_sensor(device)) + ".." +
                    layout.sensor_id(layout.end_sensor(device) - 1) + ")";
        }
    }
    return text;
}

}  // namespace sim
