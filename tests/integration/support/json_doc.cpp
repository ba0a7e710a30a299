#include "support/json_doc.hpp"

#include <rapidjson/pointer.h>

namespace sb_it {

json_doc::json_doc(std::string text) : text_(std::move(text)) {
    doc_.Parse(text_.c_str(), text_.size());
    ok_ = !doc_.HasParseError();
}

const rapidjson::Value* json_doc::get(const char* pointer) const {
    if (!ok_) return nullptr;
    return rapidjson::Pointer(pointer).Get(doc_);
}

std::optional<std::string> json_doc::str(const char* pointer) const {
    const auto* v = get(pointer);
    if (!v || !v->IsString()) return std::nullopt;
    return std::string(v->GetString(), v->GetStringLength());
}

std::optional<double> json_doc::number(const char* pointer) const {
    const auto* v = get(pointer);
    if (!v || !v->IsNumber()) return std::nullopt;
    return v->GetDouble();
}

std::optional<std::uint64_t> json_doc::uint(const char* pointer) const {
    const auto* v = get(pointer);
    if (!v || !v->IsUint64()) return std::nullopt;
    return v->GetUint64();
}

std::optional<bool> json_doc::boolean(const char* pointer) const {
    const auto* v = get(pointer);
    if (!v || !v->IsBool()) return std::nullopt;
    return v->GetBool();
}

bool json_doc::is_array(const char* pointer) const {
    const auto* v = get(pointer);
    return v && v->IsArray();
}

bool json_doc::is_object(const char* pointer) const {
    const auto* v = get(pointer);
    return v && v->IsObject();
}

std::size_t json_doc::size(const char* pointer) const {
    const auto* v = get(pointer);
    return v && v->IsArray() ? v->Size() : 0;
}

std::vector<std::string> json_doc::keys(const char* pointer) const {
    std::vector<std::string> names;
    const auto* v = get(pointer);
    if (!v || !v->IsObject()) return names;
    for (auto it = v->MemberBegin(); it != v->MemberEnd(); ++it) {
        names.emplace_back(it->name.GetString(), it->name.GetStringLength());
    }
    return names;
}

bool is_frame_type(const std::string& frame, const std::string& type) {
    return json_doc(frame).str("/type") == type;
}

bool is_reading_of(const std::string& frame, const std::string& sensor_id) {
    const json_doc d(frame);
    return d.str("/type") == "sensor.reading" && d.str("/payload/sensorId") == sensor_id;
}

}  // namespace sb_it
