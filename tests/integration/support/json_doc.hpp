#pragma once
// A parsed JSON text (a WebSocket frame, a REST body) read through JSON Pointers ("/payload/seq").
#include <rapidjson/document.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sb_it {

class json_doc {
public:
    explicit json_doc(std::string text);

    bool ok() const noexcept { return ok_; }
    const std::string& text() const noexcept { return text_; }

    const rapidjson::Value* get(const char* pointer) const;
    bool has(const char* pointer) const { return get(pointer) != nullptr; }
    std::optional<std::string> str(const char* pointer) const;
    std::optional<double> number(const char* pointer) const;
    std::optional<std::uint64_t> uint(const char* pointer) const;
    std::optional<bool> boolean(const char* pointer) const;
    bool is_array(const char* pointer) const;
    bool is_object(const char* pointer) const;
    std::size_t size(const char* pointer) const;  // array length, 0 when not an array

    // member names of the object at pointer, in document order
    std::vector<std::string> keys(const char* pointer) const;

private:
    std::string text_;
    rapidjson::Document doc_;
    bool ok_ = false;
};

// Frame predicates for ws_test_client::wait_for.
bool is_frame_type(const std::string& frame, const std::string& type);
bool is_reading_of(const std::string& frame, const std::string& sensor_id);

}  // namespace sb_it
