// Every payload convention in one run: each device speaks one of them.
#pragma once

#include "payload_format.hpp"

#include <array>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace sim {

// Devices (see device_layout) are dealt canonical, bare, senml, multi, shelly-gen2 and
// esphome in turn, then shuffled with the seed: the same seed gives the same assignment, and
// any six devices or more cover every format. Canonical and bare devices publish per sensor
// as usual; a Shelly device's CO2 sensor is canonical (shelly_gen2_format).
class mixed_format final : public payload_format {
public:
    explicit mixed_format(format_context context);

    std::vector<outgoing_message> encode(const sim_reading& reading) override;
    std::vector<outgoing_message> flush() override;
    std::vector<outgoing_message> statuses(const char* state) const override;
    std::vector<outgoing_message> announcements() const override;
    // "dev-1 senml, dev-2 canonical (temp-5..door-8), dev-3 esphome (esphome-dev-3), ..."
    std::string describe() const override;

private:
    static constexpr std::size_t k_formats = 6;

    format_context context_;
    std::vector<std::size_t> device_format_;  // device -> index into formats_
    std::array<std::unique_ptr<payload_format>, k_formats> formats_;
};

}  // namespace sim
