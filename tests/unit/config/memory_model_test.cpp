// The worst-case memory of a set of options and the start check against --max-memory.
#include "config/memory_model.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

std::uint64_t term(const memory_estimate& e, const std::string& what) {
    for (const auto& t : e.terms) {
        if (what == t.what) return t.bytes;
    }
    return 0;
}

TEST(memory_model, the_defaults_fit_the_default_bound_and_the_packaged_unit) {
    const options o;
    const memory_estimate e = worst_case_memory(o);
    EXPECT_LE(e.total, 512ull << 20) << human_bytes(e.total);
    EXPECT_FALSE(memory_problem(o).has_value());
    std::uint64_t sum = 0;
    for (const auto& t : e.terms) sum += t.bytes;
    EXPECT_EQ(sum, e.total);
}

TEST(memory_model, each_option_moves_its_term) {
    options o;
    const memory_estimate before = worst_case_memory(o);
    o.max_sensors *= 2;
    EXPECT_EQ(term(worst_case_memory(o), "sensors"), 2 * term(before, "sensors"));
    o = options{};
    o.history_depth += 100;
    EXPECT_EQ(term(worst_case_memory(o), "sensors") - term(before, "sensors"), o.max_sensors * 100 * 40);
    o = options{};
    o.max_connections += 10;
    EXPECT_EQ(term(worst_case_memory(o), "clients") - term(before, "clients"), 10u * (26u << 10));
    o = options{};
    o.max_queued_bytes += 1000;
    EXPECT_EQ(term(worst_case_memory(o), "clients") - term(before, "clients"), 2000u);
    o = options{};
    o.max_ingest_bytes += 1000;
    EXPECT_EQ(term(worst_case_memory(o), "ingest") - term(before, "ingest"), 1000u);
    o = options{};
    o.max_discovery_bytes += 1000;
    EXPECT_EQ(term(worst_case_memory(o), "discovery") - term(before, "discovery"), 2000u);
}

TEST(memory_model, options_over_the_bound_are_refused_in_one_line_naming_the_biggest_part) {
    options o;
    o.max_sensors = 100000;
    const auto problem = memory_problem(o);
    ASSERT_TRUE(problem.has_value());
    EXPECT_EQ(problem->find('\n'), std::string::npos);
    EXPECT_NE(problem->find("over --max-memory 512MiB"), std::string::npos) << *problem;
    EXPECT_NE(problem->find("most of it is sensors: --max-sensors 100000"), std::string::npos) << *problem;
    o.max_memory = "4G";
    EXPECT_FALSE(memory_problem(o).has_value());
    o.max_memory = "0";
    o.max_sensors = 10000000;
    EXPECT_FALSE(memory_problem(o).has_value()) << "0 turns the check off";
}

TEST(memory_model, human_bytes) {
    EXPECT_EQ(human_bytes(512), "512 B");
    EXPECT_EQ(human_bytes(1536), "1.5 KiB");
    EXPECT_EQ(human_bytes(512ull << 20), "512 MiB");
    EXPECT_EQ(human_bytes(3ull << 30), "3.0 GiB");
}

}  // namespace
}  // namespace sb
