#include "auth/token_file.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

std::string reason(const std::string& text) {
    auto r = parse_token_file(text);
    EXPECT_TRUE(std::holds_alternative<std::string>(r)) << text;
    return std::holds_alternative<std::string>(r) ? std::get<std::string>(r) : std::string{};
}

TEST(token_file, reads_bare_tokens_scoped_tokens_and_secrets) {
    auto r = parse_token_file(
        "# who may read the sensors\n"
        "\n"
        "  abcdefghijklmnop0123  \n"
        "token kitchen-screen-0123456789 rooms=sensor:kitchen.*,sensor:door-1\r\n"
        "jwt-secret 0123456789abcdef0123456789abcdef\n"
        "jwt-secret fedcba9876543210fedcba9876543210");
    ASSERT_TRUE(std::holds_alternative<token_set>(r)) << std::get<std::string>(r);
    const auto& set = std::get<token_set>(r);
    ASSERT_EQ(set.tokens.size(), 2u);
    EXPECT_TRUE(set.tokens[0].scope.unrestricted());
    EXPECT_EQ(set.tokens[0].line, 3u);
    EXPECT_EQ(set.tokens[1].scope.names(), (std::vector<std::string>{"sensor:kitchen.*", "sensor:door-1"}));
    EXPECT_EQ(set.jwt_secrets.size(), 2u);
    EXPECT_EQ(*sha256("abcdefghijklmnop0123"), set.tokens[0].digest);
}

TEST(token_file, scope_admin_marks_a_token_that_may_remove_sensors) {
    auto r = parse_token_file(
        "token reader-token-0123456789\n"
        "token admin-token-0123456789 scope=admin\n"
        "token kitchen-admin-012345678 rooms=sensor:kitchen.* scope=admin\n"
        "token kitchen-admin-876543210 scope=admin rooms=sensor:kitchen.*\n");
    ASSERT_TRUE(std::holds_alternative<token_set>(r)) << std::get<std::string>(r);
    const auto& set = std::get<token_set>(r);
    ASSERT_EQ(set.tokens.size(), 4u);
    EXPECT_FALSE(set.tokens[0].admin);
    EXPECT_TRUE(set.tokens[1].admin);
    EXPECT_TRUE(set.tokens[1].scope.unrestricted());
    EXPECT_TRUE(set.tokens[2].admin);
    EXPECT_FALSE(set.tokens[2].scope.unrestricted());
    EXPECT_TRUE(set.tokens[3].admin);
    EXPECT_EQ(set.tokens[3].scope.names(), std::vector<std::string>{"sensor:kitchen.*"});
    EXPECT_EQ(reason("token admin-token-0123456789 scope=root\n"), "line 1: scope=: the only scope is admin");
    EXPECT_EQ(reason("token admin-token-0123456789 scope=admin scope=admin\n"), "line 1: duplicate scope=admin");
}

TEST(token_file, refuses_weak_or_odd_entries_naming_the_line_but_never_the_value) {
    const std::string weak = reason("# x\nshort-token\n");
    EXPECT_EQ(weak, "line 2: token shorter than 16 characters");
    EXPECT_EQ(weak.find("short-token"), std::string::npos);
    EXPECT_EQ(reason("jwt-secret too-short-secret\n"), "line 1: jwt-secret shorter than 32 bytes");
    EXPECT_EQ(reason("token abcdefghijklmnop0123 rooms=kitchen\n"),
              "line 1: rooms=: each room is sensor:<id>, sensor:* or sensor:<prefix>*");
    EXPECT_EQ(reason("token abcdefghijklmnop0123 kitchen\n"), "line 1: expected rooms=<room>[,<room>...]");
    EXPECT_EQ(reason("abcdefghijklmnop/0123\n"), "line 1: token characters must be A-Z a-z 0-9 . _ ~ -");
    EXPECT_EQ(reason("abcdefghijklmnop0123 second-word-here\n").substr(0, 7), "line 1:");
    EXPECT_EQ(reason("token\n").substr(0, 7), "line 1:");
    EXPECT_EQ(reason("jwt-secret\n").substr(0, 7), "line 1:");
    EXPECT_EQ(reason("# only comments\n\n"), "no token and no jwt-secret");
    EXPECT_EQ(reason(std::string(max_token_file_bytes + 1, 'a')), "larger than 1 MiB");
}

TEST(token_file, load_names_the_file_when_it_cannot_be_read) {
    try {
        load_token_file("/nonexistent/tokens");
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read --token-file '/nonexistent/tokens'");
    }
}

TEST(token_file, duplicates_are_refused_naming_both_lines) {
    EXPECT_EQ(reason("abcdefghijklmnop0123\n# comment\ntoken abcdefghijklmnop0123 rooms=sensor:a\n"),
              "line 3: duplicate token: the same token as line 1");
    EXPECT_EQ(reason("jwt-secret 0123456789abcdef0123456789abcdef\njwt-secret 0123456789abcdef0123456789abcdef\n"),
              "line 2: duplicate jwt-secret: the same secret as line 1");
    EXPECT_EQ(reason("token abcdefghijklmnop0123 rooms=sensor:a rooms=sensor:b\n"), "line 1: duplicate rooms=");
    // A secret and a token with the same text are different entries.
    EXPECT_TRUE(std::holds_alternative<token_set>(
        parse_token_file("0123456789abcdef0123456789abcdef\njwt-secret 0123456789abcdef0123456789abcdef\n")));
}


}  // namespace
}  // namespace sb
