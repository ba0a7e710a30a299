#include "persist/store_instance.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <string>

#include "persist/sqlite_store.hpp"
#include "store_fixtures.hpp"

namespace sb {
namespace {

using namespace store_fixtures;

class store_instance_test : public store_dir_test {
protected:
    std::string instance_of(const store_options& o) { return sqlite_store(o).instance(); }
    std::string stored() { return query_text(open_raw(path_).get(), "SELECT value FROM meta WHERE key = 'instance'"); }
};

TEST(store_instance, make_gives_128_random_bits_as_32_lower_case_hex_digits) {
    std::set<std::string> seen;
    for (int i = 0; i < 100; ++i) {
        const std::string id = store_instance::make();
        EXPECT_EQ(id.size(), 32u) << id;
        EXPECT_TRUE(store_instance::valid(id)) << id;
        seen.insert(id);
    }
    EXPECT_EQ(seen.size(), 100u) << "ids repeat";
}

TEST(store_instance, valid_takes_exactly_32_lower_case_hex_digits) {
    struct valid_case {
        std::string id;
        bool ok;
    };
    const valid_case cases[] = {
        {"0123456789abcdef0123456789abcdef", true},
        {"ffffffffffffffffffffffffffffffff", true},
        {"0123456789ABCDEF0123456789ABCDEF", false},
        {"0123456789abcdef0123456789abcde", false},
        {"0123456789abcdef0123456789abcdef0", false},
        {"0123456789abcdef0123456789abcdeg", false},
        {"01234567-89ab-cdef-0123-456789abcdef", false},
        {"", false},
    };
    for (const auto& c : cases) EXPECT_EQ(store_instance::valid(c.id), c.ok) << c.id;
}

TEST_F(store_instance_test, a_new_file_gets_an_instance_kept_in_meta) {
    const std::string id = instance_of(options());
    EXPECT_TRUE(store_instance::valid(id)) << id;
    EXPECT_EQ(stored(), id);
}

TEST_F(store_instance_test, reopening_the_file_keeps_its_instance) {
    const std::string first = instance_of(options());
    EXPECT_EQ(instance_of(options()), first) << "after a clean stop";
    sqlite_store running(options());
    EXPECT_EQ(instance_of(options()), first) << "while a run is in progress, as after a crash";
    EXPECT_EQ(running.instance(), first);
}

TEST_F(store_instance_test, another_file_is_another_instance) {
    auto other = options();
    other.path = (dir_ / "other.db").string();
    EXPECT_NE(instance_of(options()), instance_of(other));
}

TEST_F(store_instance_test, a_file_without_a_path_is_a_new_instance_every_time) {
    auto memory = options();
    memory.path = ":memory:";
    const std::string a = instance_of(memory);
    EXPECT_TRUE(store_instance::valid(a)) << a;
    EXPECT_NE(instance_of(memory), a);
}

TEST_F(store_instance_test, a_corrupt_file_replaced_at_start_is_a_new_instance) {
    const std::string before = instance_of(options());
    std::ofstream(path_, std::ios::trunc) << std::string(4096, 'x');
    sqlite_store store(options());
    ASSERT_TRUE(store.recovering());
    EXPECT_TRUE(store_instance::valid(store.instance())) << store.instance();
    EXPECT_NE(store.instance(), before);
}

// A version 6 file (before instance ids) gains one on open, with its data, and keeps it.
TEST_F(store_instance_test, a_version_6_file_gains_an_instance) {
    {
        sqlite_store store(options());
        store.start();
        ASSERT_TRUE(store.put(make_reading("old", 4.5, 77)));
        store.stop();
    }
    {
        auto db = open_raw(path_);
        exec(db.get(),
             "DELETE FROM meta WHERE key = 'instance';"
             "UPDATE meta SET value = '6' WHERE key = 'schema_version';"
             "PRAGMA user_version = 6;");
    }
    ASSERT_EQ(stored(), "");
    const std::string id = instance_of(options());
    EXPECT_TRUE(store_instance::valid(id)) << id;
    EXPECT_EQ(stored(), id);
    EXPECT_EQ(query_text(open_raw(path_).get(), "PRAGMA user_version"), "7");
    sqlite_store again(options());
    EXPECT_EQ(again.instance(), id);
    ASSERT_EQ(again.load_latest().size(), 1u);
    EXPECT_EQ(again.load_latest()[0].seq, 77u);
}

TEST_F(store_instance_test, a_stored_value_that_is_no_instance_is_replaced) {
    const std::string before = instance_of(options());
    exec(open_raw(path_).get(), "UPDATE meta SET value = 'not an id' WHERE key = 'instance'");
    const std::string id = instance_of(options());
    EXPECT_TRUE(store_instance::valid(id)) << id;
    EXPECT_NE(id, before);
    EXPECT_EQ(instance_of(options()), id) << "the replacement is kept";
}

}  // namespace
}  // namespace sb
