#include "payload_format.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <utility>

namespace sim {
namespace {

// {"sensorId":"temp-1","value":21.4,"unit":"°C","timestamp":1795000000123}
// "unit" is left out for unitless readings (door).
class canonical_format final : public payload_format {
public:
    explicit canonical_format(std::string prefix) : prefix_(std::move(prefix)) {}

    std::vector<outgoing_message> encode(const sim_reading& reading) override {
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        const std::string value = value_to_text(reading.value);
        writer.StartObject();
        writer.Key("sensorId");
        writer.String(reading.sensor_id.c_str(),
                      static_cast<rapidjson::SizeType>(reading.sensor_id.size()));
        writer.Key("value");
        writer.RawValue(value.c_str(), value.size(),
                        std::holds_alternative<bool>(reading.value) ? rapidjson::kTrueType
                                                                    : rapidjson::kNumberType);
        if (!reading.unit.empty()) {
            writer.Key("unit");
            writer.String(reading.unit.c_str(),
                          static_cast<rapidjson::SizeType>(reading.unit.size()));
        }
        writer.Key("timestamp");
        writer.Int64(reading.timestamp_ms);
        writer.EndObject();
        return {outgoing_message{prefix_ + "/" + reading.sensor_id,
                                 std::string(buffer.GetString(), buffer.GetSize())}};
    }

private:
    std::string prefix_;
};

// The bare value: "21.4", "true"/"false"; id and unit are implied by the topic.
class bare_format final : public payload_format {
public:
    explicit bare_format(std::string prefix) : prefix_(std::move(prefix)) {}

    std::vector<outgoing_message> encode(const sim_reading& reading) override {
        return {outgoing_message{prefix_ + "/" + reading.sensor_id, value_to_text(reading.value)}};
    }

private:
    std::string prefix_;
};

}  // namespace

const std::map<std::string, format_kind>& format_names() {
    static const std::map<std::string, format_kind> names{
        {"canonical", format_kind::canonical},
        {"bare", format_kind::bare},
    };
    return names;
}

std::unique_ptr<payload_format> make_payload_format(format_kind kind, std::string topic_prefix) {
    switch (kind) {
    case format_kind::canonical: return std::make_unique<canonical_format>(std::move(topic_prefix));
    case format_kind::bare: return std::make_unique<bare_format>(std::move(topic_prefix));
    }
    return nullptr;
}

}  // namespace sim
