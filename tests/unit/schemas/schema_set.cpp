#include "schema_set.hpp"

#include <fstream>
#include <sstream>
#include <utility>

#include <rapidjson/error/en.h>
#include <rapidjson/pointer.h>
#include <rapidjson/stringbuffer.h>

namespace sb::test {
namespace {

constexpr unsigned parse_flags = rapidjson::kParseValidateEncodingFlag;

std::string parse_error(const rapidjson::Document& doc) {
    return std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at offset " +
           std::to_string(doc.GetErrorOffset());
}

std::string uri_fragment(const rapidjson::Pointer& pointer) {
    rapidjson::StringBuffer buf;
    pointer.StringifyUriFragment(buf);
    return {buf.GetString(), buf.GetSize()};
}

}  // namespace

schema_set::schema_set(std::string directory) : directory_(std::move(directory)) {}

const schema_set::compiled* schema_set::load_file(const std::string& file, std::string& error) {
    if (auto it = compiled_.find(file); it != compiled_.end()) return it->second.get();
    if (loading_.count(file)) {
        error = "$ref cycle through " + file;
        return nullptr;
    }
    std::ifstream in(directory_ + "/" + file, std::ios::binary);
    if (!in) {
        error = "cannot read " + directory_ + "/" + file;
        return nullptr;
    }
    std::ostringstream text;
    text << in.rdbuf();
    const std::string json = text.str();

    auto entry = std::make_unique<compiled>();
    entry->source.Parse<parse_flags>(json.data(), json.size());
    if (entry->source.HasParseError()) {
        error = file + " is not JSON: " + parse_error(entry->source);
        return nullptr;
    }
    const std::size_t unresolved_before = unresolved_.size();
    loading_.insert(file);
    entry->schema = std::make_unique<rapidjson::SchemaDocument>(entry->source, this);
    loading_.erase(file);
    if (unresolved_.size() != unresolved_before) {
        // RapidJSON replaces an unresolvable $ref by an empty schema that accepts everything.
        error = file + ": " + unresolved_.substr(unresolved_before);
        return nullptr;
    }
    return compiled_.emplace(file, std::move(entry)).first->second.get();
}

// "file#/json/pointer": a one-line schema {"$ref": ref} resolved through this provider.
const schema_set::compiled* schema_set::load_fragment(const std::string& ref, std::string& error) {
    if (auto it = compiled_.find(ref); it != compiled_.end()) return it->second.get();
    const std::size_t hash = ref.find('#');
    const compiled* file = load_file(ref.substr(0, hash), error);
    if (!file) return nullptr;
    const rapidjson::Pointer pointer(ref.substr(hash).c_str());
    if (!pointer.IsValid() || !pointer.Get(file->source)) {
        error = "no schema at " + ref;
        return nullptr;
    }
    auto entry = std::make_unique<compiled>();
    entry->source.SetObject();
    entry->source.AddMember("$ref", rapidjson::Value(ref, entry->source.GetAllocator()),
                            entry->source.GetAllocator());
    const std::size_t unresolved_before = unresolved_.size();
    entry->schema = std::make_unique<rapidjson::SchemaDocument>(entry->source, this);
    if (unresolved_.size() != unresolved_before) {
        error = unresolved_.substr(unresolved_before);
        return nullptr;
    }
    return compiled_.emplace(ref, std::move(entry)).first->second.get();
}

const rapidjson::SchemaDocument* schema_set::find(std::string_view ref, std::string& error) {
    const std::string key(ref);
    const compiled* c = key.find('#') == std::string::npos ? load_file(key, error)
                                                           : load_fragment(key, error);
    return c ? c->schema.get() : nullptr;
}

const rapidjson::Document* schema_set::source(std::string_view file, std::string& error) {
    const compiled* c = load_file(std::string(file), error);
    return c ? &c->source : nullptr;
}

const rapidjson::SchemaDocument* schema_set::GetRemoteDocument(const char* uri,
                                                               rapidjson::SizeType length) {
    // RapidJSON 1.1 passes a length one short of the file part of the $ref (i - 1 for the i
    // characters before '#'). uri points into the NUL-terminated $ref string, so read the file
    // name up to '#' or the end instead of trusting length.
    static_cast<void>(length);
    const std::string_view ref(uri);
    const std::string file(ref.substr(0, ref.find('#')));
    std::string error;
    const compiled* c = load_file(file, error);
    if (!c) {
        unresolved_ += "unresolved $ref \"" + std::string(ref) + "\" (" + error + "); ";
        return nullptr;
    }
    return c->schema.get();
}

validation_result schema_set::validate(std::string_view ref, std::string_view json) {
    std::string error;
    const rapidjson::SchemaDocument* schema = find(ref, error);
    if (!schema) return {false, "schema " + std::string(ref) + ": " + error};

    rapidjson::Document doc;
    doc.Parse<parse_flags>(json.data(), json.size());
    if (doc.HasParseError()) return {false, "invalid JSON: " + parse_error(doc)};

    rapidjson::SchemaValidator validator(*schema);
    if (doc.Accept(validator)) return {true, {}};
    return {false, std::string("keyword '") + validator.GetInvalidSchemaKeyword() +
                       "' failed at schema " + std::string(ref) + " " +
                       uri_fragment(validator.GetInvalidSchemaPointer()) + ", document " +
                       uri_fragment(validator.GetInvalidDocumentPointer())};
}

}  // namespace sb::test
