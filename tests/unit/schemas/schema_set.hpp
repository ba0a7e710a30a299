#pragma once
// The JSON Schemas of schemas/ compiled for RapidJSON 1.1's (draft-04) validator, so tests and
// fuzz targets can check what the bridge emits against the wire contract (issue 4, "Schemas").
// Files are loaded by name on first use; relative "$ref"s between them ("sensor-reading.schema.json",
// "other.schema.json#/definitions/x") resolve through this class as the remote provider.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include <rapidjson/document.h>
#include <rapidjson/schema.h>

namespace sb::test {

struct validation_result {
    bool valid = false;
    // Empty when valid; otherwise why: unreadable schema, invalid JSON, or the failing keyword
    // with the schema and document pointers.
    std::string error;
};

class schema_set final : public rapidjson::IRemoteSchemaDocumentProvider {
public:
    explicit schema_set(std::string directory);
    schema_set(const schema_set&) = delete;
    schema_set& operator=(const schema_set&) = delete;

    // ref is a file name in the directory, optionally with a JSON pointer fragment:
    // "ws-server-message.schema.json#/definitions/reading".
    validation_result validate(std::string_view ref, std::string_view json);

    // The compiled schema for ref, or nullptr with error set.
    const rapidjson::SchemaDocument* find(std::string_view ref, std::string& error);

    // The parsed schema file itself (for structural checks), or nullptr with error set.
    const rapidjson::Document* source(std::string_view file, std::string& error);

    const std::string& directory() const noexcept { return directory_; }

    // rapidjson::IRemoteSchemaDocumentProvider: called while compiling a schema with a $ref
    // to another file.
    const rapidjson::SchemaDocument* GetRemoteDocument(const char* uri,
                                                       rapidjson::SizeType length) override;

private:
    struct compiled {
        rapidjson::Document source;
        std::unique_ptr<rapidjson::SchemaDocument> schema;
    };

    const compiled* load_file(const std::string& file, std::string& error);
    const compiled* load_fragment(const std::string& ref, std::string& error);

    std::string directory_;
    std::map<std::string, std::unique_ptr<compiled>, std::less<>> compiled_;  // by ref
    std::set<std::string, std::less<>> loading_;    // files being compiled (cycle guard)
    std::string unresolved_;  // remote refs that failed: RapidJSON would silently accept anything
};

}  // namespace sb::test
