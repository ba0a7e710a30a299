// SenML (RFC 8428) JSON packs, one per device.
#pragma once

#include "device_batch.hpp"
#include "payload_format.hpp"

#include <vector>

namespace sim {

// Topic "<prefix>/<device>", payload one record per sensor of the device:
//   [{"bn":"dev-1:","bt":1795000000.123,"n":"temp","u":"Cel","v":21.4},
//    {"n":"humidity","u":"%RH","t":0.042,"v":40.2},{"n":"door","t":0.125,"vb":false}]
// bn + n is the bridge's sensor id ("dev-1:temp"); bt is the first sample's time in
// seconds, each later record's t its offset from bt. Units come from the SenML registry
// (Cel, %RH, ppm, W); the door has none and reports vb. Status: "<prefix>/<device>/status".
class senml_format final : public payload_format {
public:
    explicit senml_format(format_context context);

    std::vector<outgoing_message> encode(const sim_reading& reading) override;
    std::vector<outgoing_message> flush() override;
    std::vector<outgoing_message> statuses(const char* state) const override;

private:
    outgoing_message pack(const std::vector<sim_reading>& group) const;

    format_context context_;
    device_batch batch_;
};

}  // namespace sim
