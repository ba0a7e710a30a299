#include "mixed_format.hpp"

#include "esphome_format.hpp"
#include "shelly_gen2_format.hpp"

#include <cstdint>
#include <random>
#include <utility>

namespace sim {
namespace {

constexpr std::array<format_kind, 6> k_member_kinds{
    format_kind::canonical, format_kind::bare,        format_kind::senml,
    format_kind::multi,     format_kind::shelly_gen2, format_kind::esphome};
constexpr std::array<const char*, 6> k_member_names{"canonical", "bare",        "senml",
                                                    "multi",     "shelly-gen2", "esphome"};
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

std::vector<outgoing_message> mixed_format::announcements() const {
    std::vector<outgoing_message> messages;
    for (const auto& format : formats_) {
        for (outgoing_message& message : format->announcements()) messages.push_back(std::move(message));
    }
    return messages;
}

std::string mixed_format::describe() const {
    const device_layout& layout = *context_.layout;
    std::string text;
    for (const std::size_t device : context_.devices) {
        const std::size_t f = device_format_[device];
        text += (text.empty() ? "" : ", ") + layout.device_name(device) + " " + k_member_names[f];
        switch (k_member_kinds[f]) {
        case format_kind::canonical:
        case format_kind::bare:
            text += " (" + layout.sensor_id(layout.first_sensor(device)) + ".." +
                    layout.sensor_id(layout.end_sensor(device) - 1) + ")";
            break;
        case format_kind::shelly_gen2: {
            const std::string id = shelly_gen2_format::device_id(layout, device);
            const bool co2 = layout.device_has(device, sensor_kind::co2);
            text += " (" + id + (!id.empty() && co2 ? ", " : "") + (co2 ? "CO2 canonical" : "") +
                    ")";
            break;
        }
        case format_kind::esphome:
            text += " (" + esphome_format::node_name(layout, device) + ")";
            break;
        default: break;
        }
    }
    return text;
}

}  // namespace sim
