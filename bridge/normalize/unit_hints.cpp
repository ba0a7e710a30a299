#include "normalize/unit_hints.hpp"

#include "normalize/ascii.hpp"

namespace sb::detail {

namespace {

constexpr std::string_view unit_suffix = "Unit";

std::string temperature_unit(std::string_view declared) {
    if (equals_ignoring_case(declared, "C")) return "°C";
    if (equals_ignoring_case(declared, "F")) return "°F";
    return std::string(declared);
}

}  // namespace

bool is_unit_declaration(std::string_view key, const rapidjson::Value& value) {
    return value.IsString() && key.size() > unit_suffix.size() &&
           key.substr(key.size() - unit_suffix.size()) == unit_suffix;
}

check unit_hints::read(const rapidjson::Value& object, unit_hints& out) {
    for (const auto& member : object.GetObject()) {
        const std::string_view key = as_view(member.name);
        if (!is_unit_declaration(key, member.value)) continue;
        const std::string_view declared = as_view(member.value);
        if (check c = check_text(declared, "\"" + std::string(key) + "\"")) return c;
        if (key == "TempUnit") out.temperature_ = temperature_unit(declared);
        if (key == "PressureUnit") out.pressure_ = std::string(declared);
    }
    return std::nullopt;
}

std::string unit_hints::unit_for(std::string_view key) const {
    if (starts_with_ignoring_case(key, "temperature") || equals_ignoring_case(key, "dewpoint")) {
        return temperature_;
    }
    if (equals_ignoring_case(key, "pressure") || equals_ignoring_case(key, "seapressure")) {
        return pressure_;
    }
    return {};
}

}  // namespace sb::detail
