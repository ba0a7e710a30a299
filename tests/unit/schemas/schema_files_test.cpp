// The schema files themselves: each compiles for RapidJSON 1.1 and uses only what its draft-04
// validator enforces. RapidJSON skips an unresolved $ref, a pattern its regex engine cannot
// compile and keywords it does not know, leaving a schema that accepts anything; ajv (the
// dashboard's tests) would enforce them, so the two validators would silently disagree.
#include <algorithm>
#include <filesystem>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <rapidjson/pointer.h>

#include "schema_fixtures.hpp"

namespace sb::test {
namespace {

std::vector<std::string> schema_files() {
    std::vector<std::string> files;
    for (const auto& entry : std::filesystem::directory_iterator(SB_SCHEMA_DIR)) {
        const std::string name = entry.path().filename().string();
        if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(name);
    }
    std::sort(files.begin(), files.end());
    return files;
}

// Walks one schema and its sub-schemas, collecting what RapidJSON would not enforce.
class schema_lint {
public:
    schema_lint(schema_set& set, std::string file) : set_(set), file_(std::move(file)) {}
    std::vector<std::string> problems;
    std::vector<std::string> patterns;

    void schema(const rapidjson::Value& v, const std::string& at) {
        if (!v.IsObject()) return;  // true/false schemas do not occur in draft-04 files
        for (const auto& m : v.GetObject()) {
            const std::string key(m.name.GetString(), m.name.GetStringLength());
            const std::string here = at + "/" + key;
            if (ignored_keywords().count(key)) problems.push_back(here + ": RapidJSON 1.1 ignores it");
            if ((key == "exclusiveMinimum" || key == "exclusiveMaximum") && !m.value.IsBool()) {
                problems.push_back(here + ": draft-04 wants a boolean");
            }
            if (key == "patternProperties" && v.HasMember("additionalProperties")) {
                // RapidJSON 1.1 fails valid values, or asserts, with this combination.
                problems.push_back(here + ": RapidJSON 1.1 breaks with additionalProperties");
            }
            if (key == "$ref" && m.value.IsString()) ref(m.value.GetString(), here);
            if (key == "pattern" && m.value.IsString()) patterns.emplace_back(m.value.GetString());
            if (key == "properties" || key == "patternProperties" || key == "definitions" ||
                key == "dependencies") {
                if (!m.value.IsObject()) continue;
                for (const auto& sub : m.value.GetObject()) {
                    if (key == "patternProperties") patterns.emplace_back(sub.name.GetString());
                    schema(sub.value, here + "/" + sub.name.GetString());
                }
            }
            if (key == "items" || key == "additionalItems" || key == "additionalProperties" ||
                key == "not") {
                schema(m.value, here);
            }
            if ((key == "items" || key == "allOf" || key == "anyOf" || key == "oneOf") &&
                m.value.IsArray()) {
                for (rapidjson::SizeType i = 0; i < m.value.Size(); ++i) {
                    schema(m.value[i], here + "/" + std::to_string(i));
                }
            }
        }
    }

private:
    static const std::set<std::string>& ignored_keywords() {
        static const std::set<std::string> words{"const", "contains", "propertyNames", "if",
                                                 "then", "else", "format", "$defs",
                                                 "unevaluatedProperties", "dependentRequired"};
        return words;
    }

    void ref(const std::string& target, const std::string& at) {
        const std::size_t hash = target.find('#');
        const std::string file = target.substr(0, hash);
        const std::string fragment = hash == std::string::npos ? "#" : target.substr(hash);
        std::string error;
        const rapidjson::Document* doc = set_.source(file.empty() ? file_ : file, error);
        if (!doc) {
            problems.push_back(at + ": $ref " + target + ": " + error);
            return;
        }
        const rapidjson::Pointer pointer(fragment.c_str());
        if (!pointer.IsValid() || !pointer.Get(*doc)) {
            problems.push_back(at + ": $ref " + target + " points at nothing");
        }
    }

    schema_set& set_;
    std::string file_;
};

TEST(schema_files_test, the_contract_files_exist) {
    const std::vector<std::string> files = schema_files();
    for (const char* expected :
         {"sensor-reading.schema.json", "ws-server-message.schema.json",
          "ws-client-message.schema.json", "rest-sensors.schema.json", "rest-history.schema.json",
          "rest-error.schema.json", "rest-health.schema.json", "rest-stats.schema.json",
          "rest-series.schema.json"}) {
        EXPECT_NE(std::find(files.begin(), files.end(), expected), files.end()) << expected;
    }
}

TEST(schema_files_test, each_compiles_and_names_itself) {
    for (const std::string& file : schema_files()) {
        std::string error;
        EXPECT_NE(schemas().find(file, error), nullptr) << file << ": " << error;
        const rapidjson::Document* doc = schemas().source(file, error);
        ASSERT_NE(doc, nullptr) << file << ": " << error;
        ASSERT_TRUE(doc->IsObject()) << file;
        // ajv resolves the relative $refs against $id, so it must be the file name.
        ASSERT_TRUE(doc->HasMember("$id") && (*doc)["$id"].IsString()) << file;
        EXPECT_EQ(std::string((*doc)["$id"].GetString()), file);
        ASSERT_TRUE(doc->HasMember("$schema") && (*doc)["$schema"].IsString()) << file;
        EXPECT_EQ(std::string((*doc)["$schema"].GetString()),
                  "http://json-schema.org/draft-07/schema#");
    }
}

TEST(schema_files_test, only_what_rapidjson_enforces) {
    for (const std::string& file : schema_files()) {
        std::string error;
        const rapidjson::Document* doc = schemas().source(file, error);
        ASSERT_NE(doc, nullptr) << file << ": " << error;
        schema_lint lint(schemas(), file);
        lint.schema(*doc, file + "#");
        for (const std::string& problem : lint.problems) ADD_FAILURE() << problem;
    }
}

// Each pattern compiles in RapidJSON's own regex engine (else it is dropped: anything matches)
// and means the same there as in ECMAScript, which ajv uses.
TEST(schema_files_test, patterns_mean_the_same_in_rapidjson_and_ecmascript) {
    const std::vector<std::string> probes{
        "", "a", "temp-1", "kitchen.temperature", "a.b_c:d~e-f", "a b", "a/b", "t\xC3\xA9mp",
        "temp-1\n", " temp-1", "#", "*", "sensor:", "sensor:*", "sensor:a*", "sensor:a**",
        "sensor:a*b", "sensor:temp-1", "sensor:" + std::string(128, 'x'),
        "sensor:" + std::string(129, 'x'), "sensor:" + std::string(127, 'x') + "*",
        "sensor:" + std::string(128, 'x') + "*", std::string(128, 'x'), std::string(129, 'x'),
        "NOT_FOUND", "BAD_REQUEST", "not_found", "bad_id", "too_many_sensors", "Bad", "9x", "x9",
        "_x", "A" + std::string(63, 'B'), "A" + std::string(64, 'B'),
    };
    for (const std::string& file : schema_files()) {
        std::string error;
        const rapidjson::Document* doc = schemas().source(file, error);
        ASSERT_NE(doc, nullptr) << file << ": " << error;
        schema_lint lint(schemas(), file);
        lint.schema(*doc, file + "#");
        for (const std::string& pattern : lint.patterns) {
            const rapidjson::internal::Regex rj(pattern.c_str());
            ASSERT_TRUE(rj.IsValid()) << file << ": RapidJSON cannot compile " << pattern;
            const std::regex ecma(pattern, std::regex::ECMAScript);
            for (const std::string& probe : probes) {
                EXPECT_EQ(rj.Search(probe.c_str()), std::regex_search(probe, ecma))
                    << file << ": pattern " << pattern << " on \"" << probe << "\"";
            }
        }
    }
}

}  // namespace
}  // namespace sb::test
