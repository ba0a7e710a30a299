#include "auth/token_verifier.hpp"

#include <gtest/gtest.h>

#include "jwt_fixtures.hpp"

namespace sb {
namespace {

using namespace sb::test;

token_verifier make(const std::string& text) { return token_verifier(std::get<token_set>(parse_token_file(text))); }

TEST(token_verifier, a_static_token_grants_its_rooms_and_names_its_line) {
    auto v = make("abcdefghijklmnop0123\ntoken kitchen-screen-0123456789 rooms=sensor:kitchen.*\n");
    auto all = v.verify("abcdefghijklmnop0123", now);
    ASSERT_TRUE(std::holds_alternative<auth_grant>(all));
    EXPECT_TRUE(std::get<auth_grant>(all).scope.unrestricted());
    EXPECT_FALSE(std::get<auth_grant>(all).valid_until_ms);
    EXPECT_EQ(std::get<auth_grant>(all).subject, "token-line-1");
    auto kitchen = v.verify("kitchen-screen-0123456789", now);
    ASSERT_TRUE(std::holds_alternative<auth_grant>(kitchen));
    EXPECT_FALSE(std::get<auth_grant>(kitchen).scope.covers_sensor("garage.power"));
}

TEST(token_verifier, refuses_unknown_empty_and_oversized_tokens) {
    auto v = make("abcdefghijklmnop0123\n");
    EXPECT_EQ(std::get<auth_failure>(v.verify("abcdefghijklmnop0124", now)), auth_failure::unknown_token);
    EXPECT_EQ(std::get<auth_failure>(v.verify("abcdefghijklmnop012", now)), auth_failure::unknown_token);
    EXPECT_EQ(std::get<auth_failure>(v.verify("", now)), auth_failure::missing);
    EXPECT_EQ(std::get<auth_failure>(v.verify(std::string(5000, 'a'), now)), auth_failure::malformed);
}

TEST(token_verifier, jwts_need_a_secret_in_the_file) {
    const std::string token = jwt(exp_in(60));
    EXPECT_EQ(std::get<auth_failure>(make("abcdefghijklmnop0123\n").verify(token, now)), auth_failure::unknown_token);
    EXPECT_TRUE(std::holds_alternative<auth_grant>(make("jwt-secret " + secret_a + "\n").verify(token, now)));
}

TEST(token_verifier, replace_swaps_the_entries) {
    auto v = make("abcdefghijklmnop0123\n");
    v.replace(std::get<token_set>(parse_token_file("qrstuvwxyz-0123456789\n")));
    EXPECT_TRUE(std::holds_alternative<auth_failure>(v.verify("abcdefghijklmnop0123", now)));
    EXPECT_TRUE(std::holds_alternative<auth_grant>(v.verify("qrstuvwxyz-0123456789", now)));
    EXPECT_EQ(v.static_tokens(), 1u);
}

}  // namespace
}  // namespace sb
