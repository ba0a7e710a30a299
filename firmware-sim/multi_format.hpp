// Zigbee2MQTT-like device objects: several metrics in one flat JSON object.
#pragma once

#include "device_batch.hpp"
#include "payload_format.hpp"

#include <cstddef>
#include <random>
#include <vector>

namespace sim {

// Topic "<prefix>/<device>", payload one key per sensor of the device plus the radio's
// own battery and link quality, as Zigbee2MQTT publishes them:
//   {"temperature":21.4,"humidity":40.2,"co2":455,"power":60.1,"battery":97,"linkquality":120}
// The bridge names each metric "<device>.<key>" ("dev-1.temperature"). A door is a contact
// sensor: "contact" is true when closed (the inverse of the simulated "open").
// Status: "<prefix>/<device>/availability" with {"state":"online"}.
class multi_format final : public payload_format {
public:
    explicit multi_format(format_context context);

    std::vector<outgoing_message> encode(const sim_reading& reading) override;
    std::vector<outgoing_message> flush() override;
    std::vector<outgoing_message> statuses(const char* state) const override;

private:
    // Battery and link quality of one device's radio: slow drain, noisy link.
    struct radio {
        std::mt19937_64 rng;
        double battery = 100.0;  // percent
        double link = 120.0;     // mean link quality, 0..255
    };

    outgoing_message object(const std::vector<sim_reading>& group);
    radio& radio_of(std::size_t device);

    format_context context_;
    device_batch batch_;
    std::vector<radio> radios_;  // indexed by device number
};

}  // namespace sim
