#include "auth/base64url.hpp"

#include <gtest/gtest.h>

namespace sb {
namespace {

TEST(base64url, round_trips_every_length) {
    std::string bytes;
    for (int n = 0; n < 40; ++n) {
        const std::string enc = base64url_encode(bytes);
        EXPECT_EQ(enc.find_first_of("+/="), std::string::npos) << enc;
        auto dec = base64url_decode(enc);
        ASSERT_TRUE(dec) << enc;
        EXPECT_EQ(*dec, bytes);
        bytes.push_back(static_cast<char>(n * 37 + 200));
    }
}

TEST(base64url, decodes_the_rfc_4648_vectors_unpadded) {
    EXPECT_EQ(*base64url_decode("Zm9vYmFy"), "foobar");
    EXPECT_EQ(*base64url_decode("Zm9vYg"), "foob");
    EXPECT_EQ(*base64url_decode("Zm8"), "fo");
    EXPECT_EQ(*base64url_decode("-_8"), "\xfb\xff");
}

TEST(base64url, refuses_what_is_not_canonical_base64url) {
    for (const char* bad : {"Zm9vYg==", "Zm9vYg=", "Zm9v+mFy", "Zm9v/mFy", "Zm9vY", "Zm9 vYmFy", "Zm9vYh", "Zm9"
                            "\n"}) {
        EXPECT_FALSE(base64url_decode(bad)) << bad;
    }
}

}  // namespace
}  // namespace sb
