// The one counter table (http/counter_table.hpp) against schemas/rest-stats.schema.json: every
// key /api/stats writes is a property of its group, and every property of a group is a row, so
// the REST answer, /metrics and the schema cannot drift apart.
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "http/counter_table.hpp"
#include "schema_fixtures.hpp"

namespace sb::test {
namespace {

std::set<std::string> table_keys(stats_group group) {
    std::set<std::string> keys;
    for (const counter_row& row : counter_table()) {
        if (row.group == group && !row.json_key.empty()) keys.emplace(row.json_key);
    }
    return keys;
}

TEST(counter_table, every_rest_stats_group_matches_the_schema_property_for_property) {
    std::string error;
    const rapidjson::Document* schema = schemas().source("rest-stats.schema.json", error);
    ASSERT_NE(schema, nullptr) << error;
    const auto& groups = (*schema)["properties"];
    std::set<std::string> schema_groups;
    for (const auto& m : groups.GetObject()) schema_groups.emplace(m.name.GetString());
    std::set<std::string> table_groups;
    for (const stats_group group : rest_stats_groups) table_groups.emplace(group_key(group));
    EXPECT_EQ(schema_groups, table_groups);
    for (const stats_group group : rest_stats_groups) {
        const std::string name(group_key(group));
        ASSERT_TRUE(groups.HasMember(name.c_str())) << name;
        std::set<std::string> properties;
        for (const auto& m : groups[name.c_str()]["properties"].GetObject()) properties.emplace(m.name.GetString());
        EXPECT_EQ(table_keys(group), properties) << name;
        for (const auto& required : groups[name.c_str()]["required"].GetArray()) {
            EXPECT_TRUE(table_keys(group).count(required.GetString())) << name << "." << required.GetString();
        }
    }
}

TEST(counter_table, rows_are_well_formed_and_metric_names_unique) {
    std::set<std::string> metrics;
    for (const counter_row& row : counter_table()) {
        EXPECT_TRUE(row.value || row.by_reason) << row.json_key;
        EXPECT_FALSE(row.json_key.empty() && row.metric.empty()) << "a row reported nowhere";
        EXPECT_TRUE(row.type == "counter" || row.type == "gauge") << row.metric;
        EXPECT_FALSE(row.help.empty()) << row.metric;
        if (row.metric.empty()) continue;
        EXPECT_EQ(row.metric.rfind("sensor_bridge_", 0), 0u) << row.metric;
        EXPECT_EQ(row.type == "counter", row.metric.size() > 6 && row.metric.substr(row.metric.size() - 6) == "_total")
            << row.metric;
        EXPECT_TRUE(metrics.emplace(row.metric).second) << "twice: " << row.metric;
    }
    EXPECT_TRUE(table_keys(stats_group::mqtt).empty()) << "mqtt counters are in /metrics only";
}

}  // namespace
}  // namespace sb::test
