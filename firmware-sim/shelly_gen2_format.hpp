// Shelly Gen2+ (Plus, Pro, Gen3) devices over MQTT: JSON-RPC notifications and component
// statuses under the device id (docs/CONVENTIONS.md, "Shelly Gen2+").
#pragma once

#include "device_batch.hpp"
#include "device_layout.hpp"
#include "payload_format.hpp"

#include <cstddef>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace sim {

// Each device is a Shelly whose id is its model and a MAC-like number from the device number:
// "shellyplus1pm-a8032a000001" (a device with a power sensor), "shellyplusht-a8032a000002"
// (temperature or humidity, no power), "shellyplusi4-a8032a000003" (doors only). Its topics
// start with that id, not with --topic-prefix, as a real Shelly's do. Sensors map to
// components, and the bridge names each field "<device>.<component>.<field>":
//   temperature  temperature:0 {"id":0,"tC":21.4,"tF":70.5}   -> <device>.temperature:0.tC
//   humidity     humidity:0    {"id":0,"rh":48.2}             -> <device>.humidity:0.rh
//   power        switch:0      {"id":0,"apower":60.1,"voltage":230.4,"current":0.261,
//                               "output":true}                -> <device>.switch:0.apower,
//                                                  .voltage, .current, .output (4 readings)
//   door         input:0       {"id":0,"state":true}          -> <device>.input:0.state
// The first, third, ... device (dev-1, dev-3) notifies like rpc_ntf: once all its sensors
// have been sampled, one "<device>/events/rpc"
//   {"src":"<device>","dst":"<device>/events","method":"NotifyStatus",
//    "params":{"ts":1795000000.12,"temperature:0":{...},"humidity:0":{...}}}
// timed by ts (epoch seconds, 2 decimals: the last sample's time). The others (dev-2, dev-4)
// publish like status_ntf: each component on "<device>/status/<component>" as it is sampled.
// Shelly has no CO2 component: CO2 sensors are published canonical, as --format canonical
// does ("<prefix>/co2-3", id "co2-3", status "<prefix>/co2-3/status").
// Status: "<device>/online" with true/false.
class shelly_gen2_format final : public payload_format {
public:
    explicit shelly_gen2_format(format_context context);

    std::vector<outgoing_message> encode(const sim_reading& reading) override;
    std::vector<outgoing_message> flush() override;
    std::vector<outgoing_message> statuses(const char* state) const override;
    // "dev-1 shellyplus1pm-a8032a000001, ..." and the CO2 fallback.
    std::string describe() const override;

    // The device's Shelly id; empty when the device has only CO2 sensors (no Shelly).
    static std::string device_id(const device_layout& layout, std::size_t device);
    // Whether the device notifies on events/rpc (else it publishes component statuses).
    static bool notifies(std::size_t device) { return device % 2 == 0; }

private:
    // One component of a device: its "switch:0" name, status object and readings.
    struct component {
        std::string name;
        std::string json;
        std::vector<carried_reading> readings;
    };

    component make_component(const std::string& device, const sim_reading& reading);
    outgoing_message notification(const std::vector<sim_reading>& group);
    double mains_voltage();

    format_context context_;
    device_batch batch_;
    std::unique_ptr<payload_format> canonical_;  // CO2
    std::mt19937_64 grid_;                       // mains voltage noise
};

}  // namespace sim
