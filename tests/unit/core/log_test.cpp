// core/log: lines are valid UTF-8 whatever the input (issue 19, finding 4).
#include "core/log.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

TEST(log_quote, keeps_valid_utf8_and_escapes_bytes_that_are_not) {
    EXPECT_EQ(log_quote("caf\xc3\xa9"), "caf\xc3\xa9");
    EXPECT_EQ(log_quote("a\xff" "b"), "\"a\\xffb\"");
    // A lone continuation byte, a truncated sequence, an overlong form, a surrogate.
    EXPECT_EQ(log_quote("\x80"), "\"\\x80\"");
    EXPECT_EQ(log_quote("x\xe2\x82"), "\"x\\xe2\\x82\"");
    EXPECT_EQ(log_quote("\xc0\xaf"), "\"\\xc0\\xaf\"");
    EXPECT_EQ(log_quote("\xed\xa0\x80"), "\"\\xed\\xa0\\x80\"");
    EXPECT_TRUE(is_valid_utf8(log_quote("\xf4\x90\x80\x80 \xfe")));
}

TEST(log_quote, cuts_between_characters) {
    // "a" then é (2 bytes) ×3: a cut at 4 bytes falls inside the second é.
    const std::string s = "a\xc3\xa9\xc3\xa9\xc3\xa9";
    EXPECT_EQ(log_quote(s, 4), "\"a\xc3\xa9...\"");
    EXPECT_EQ(log_quote(s, 5), "\"a\xc3\xa9\xc3\xa9...\"");
    EXPECT_EQ(log_quote(s, 7), s);
    // The escape of an invalid byte counts as the one input byte it stands for.
    EXPECT_EQ(log_quote("\xff\xff\xff", 2), "\"\\xff\\xff...\"");
}

TEST(log_line, escapes_bytes_that_are_not_utf8_anywhere_in_the_line) {
    std::FILE* out = std::tmpfile();
    ASSERT_NE(out, nullptr);
    set_log_output(out);
    log_line(log_level::error, "test", "broker said \xff\xfe", "reason=caf\xc3\xa9\x80");
    set_log_output(nullptr);
    std::rewind(out);
    std::string line;
    for (int c; (c = std::fgetc(out)) != EOF;) line.push_back(static_cast<char>(c));
    std::fclose(out);
    EXPECT_TRUE(is_valid_utf8(line)) << line;
    EXPECT_NE(line.find("broker said \\xff\\xfe reason=caf\xc3\xa9\\x80\n"), std::string::npos) << line;
}

}  // namespace
}  // namespace sb
