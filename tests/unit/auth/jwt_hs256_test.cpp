#include "auth/jwt_hs256.hpp"

#include <gtest/gtest.h>

#include "jwt_fixtures.hpp"

namespace sb {
namespace {

using namespace sb::test;

const std::vector<std::string> secrets{secret_a};

auth_failure failure(const std::string& token, const std::vector<std::string>& keys = secrets) {
    auto r = verify_jwt_hs256(token, keys, now);
    EXPECT_TRUE(std::holds_alternative<auth_failure>(r)) << token;
    return std::holds_alternative<auth_failure>(r) ? std::get<auth_failure>(r) : auth_failure::missing;
}

auth_grant grant(const std::string& token, const std::vector<std::string>& keys = secrets) {
    auto r = verify_jwt_hs256(token, keys, now);
    EXPECT_TRUE(std::holds_alternative<auth_grant>(r)) << token;
    return std::holds_alternative<auth_grant>(r) ? std::get<auth_grant>(r) : auth_grant{};
}

TEST(jwt_hs256, accepts_a_signed_token_with_exp_and_reports_when_it_stops) {
    auto g = grant(jwt(exp_in(3600, R"(,"sub":"wall-screen")")));
    EXPECT_TRUE(g.scope.unrestricted());
    EXPECT_EQ(g.valid_until_ms, (now_s + 3600) * 1000 + jwt_leeway_ms);
    EXPECT_EQ(g.subject, "wall-screen");
}

TEST(jwt_hs256, any_configured_secret_verifies_it) {
    grant(jwt(exp_in(60), secret_b), {secret_a, secret_b});
    EXPECT_EQ(failure(jwt(exp_in(60), secret_b)), auth_failure::bad_signature);
}

TEST(jwt_hs256, exp_is_required_and_enforced_with_a_small_leeway) {
    EXPECT_EQ(failure(jwt(R"({"sub":"x"})")), auth_failure::bad_claims);
    EXPECT_EQ(failure(jwt(R"({"exp":"soon"})")), auth_failure::bad_claims);
    EXPECT_EQ(failure(jwt(exp_in(-31))), auth_failure::expired);
    grant(jwt(exp_in(-29)));  // within the 30 s leeway
}

TEST(jwt_hs256, nbf_is_honoured) {
    EXPECT_EQ(failure(jwt(exp_in(3600, ",\"nbf\":" + std::to_string(now_s + 120)))), auth_failure::not_yet_valid);
    grant(jwt(exp_in(3600, ",\"nbf\":" + std::to_string(now_s + 10))));
    EXPECT_EQ(failure(jwt(exp_in(3600, R"(,"nbf":null)"))), auth_failure::bad_claims);
}

TEST(jwt_hs256, alg_none_and_every_other_algorithm_are_refused) {
    const std::string claims = base64url_encode(exp_in(3600));
    EXPECT_EQ(failure(base64url_encode(R"({"alg":"none"})") + "." + claims + "."), auth_failure::malformed);
    EXPECT_EQ(failure(base64url_encode(R"({"alg":"none"})") + "." + claims + ".AAAA"), auth_failure::bad_algorithm);
    for (const char* header : {R"({"alg":"HS512"})", R"({"alg":"hs256"})", R"({"alg":"RS256"})", R"({"typ":"JWT"})",
                               R"({"alg":"HS256","crit":["exp"]})", R"({"alg":"HS256","typ":"JOSE+JSON"})"}) {
        EXPECT_EQ(failure(sign(header, exp_in(3600), secret_a)), auth_failure::bad_algorithm) << header;
    }
    grant(sign(R"({"alg":"HS256"})", exp_in(3600), secret_a));  // typ is optional
}

TEST(jwt_hs256, a_tampered_token_fails_its_signature) {
    const std::string good = jwt(exp_in(3600, R"(,"rooms":["sensor:kitchen.*"])"));
    const auto dot1 = good.find('.');
    const auto dot2 = good.find('.', dot1 + 1);
    // The same signature over wider claims.
    const std::string wider = good.substr(0, dot1 + 1) + base64url_encode(exp_in(3600, R"(,"rooms":["sensor:*"])")) +
                              good.substr(dot2);
    EXPECT_EQ(failure(wider), auth_failure::bad_signature);
    std::string flipped = good;
    flipped[dot2 + 5] = flipped[dot2 + 5] == 'A' ? 'B' : 'A';
    EXPECT_EQ(failure(flipped), auth_failure::bad_signature);
    EXPECT_EQ(failure(good.substr(0, dot2) + ".AAAA"), auth_failure::bad_signature);  // short signature
}

TEST(jwt_hs256, malformed_tokens_are_refused_before_any_crypto) {
    for (const std::string& bad : std::vector<std::string>{"", "abc", "a.b", "a.b.c.d", ".b.c", "a..c", "a.b.",
                                                            "!!!.e30.AAAA", std::string(max_token_bytes + 1, 'a')}) {
        EXPECT_EQ(failure(bad), auth_failure::malformed) << bad;
    }
    // Not an object, deep nesting.
    EXPECT_EQ(failure(base64url_encode("[1]") + ".e30.AAAA"), auth_failure::malformed);
    EXPECT_EQ(failure(base64url_encode(R"({"a":[[[[[[1]]]]]]})") + ".e30.AAAA"), auth_failure::malformed);
}

TEST(jwt_hs256, the_rooms_claim_limits_the_grant_and_must_be_rooms) {
    auto g = grant(jwt(exp_in(60, R"(,"rooms":["sensor:kitchen.*","sensor:door-1"])")));
    EXPECT_FALSE(g.scope.unrestricted());
    EXPECT_TRUE(g.scope.covers_sensor("kitchen.temp"));
    EXPECT_FALSE(g.scope.covers_sensor("garage.power"));
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"rooms":"sensor:*")"))), auth_failure::bad_claims);
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"rooms":["kitchen"])"))), auth_failure::bad_claims);
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"rooms":[1])"))), auth_failure::bad_claims);
    auto none = grant(jwt(exp_in(60, R"(,"rooms":[])")));
    EXPECT_FALSE(none.scope.covers_sensor("a"));
}

// Issue 17: the admin scope (DELETE /api/sensors/{id}) from the RFC 8693 "scope" claim.
TEST(jwt_hs256, the_scope_claim_grants_admin_only_when_it_names_it) {
    EXPECT_FALSE(grant(jwt(exp_in(60))).admin);
    EXPECT_TRUE(grant(jwt(exp_in(60, R"(,"scope":"admin")"))).admin);
    EXPECT_TRUE(grant(jwt(exp_in(60, R"(,"scope":"read admin")"))).admin);
    EXPECT_FALSE(grant(jwt(exp_in(60, R"(,"scope":"administrator read")"))).admin);
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"scope":["admin"])"))), auth_failure::bad_claims);
}

TEST(jwt_hs256, looks_like_jwt_needs_two_dots_and_base64url) {
    EXPECT_TRUE(looks_like_jwt("a.b.c"));
    EXPECT_FALSE(looks_like_jwt("abcdefghijklmnop"));
    EXPECT_FALSE(looks_like_jwt("a.b.c.d"));
    EXPECT_FALSE(looks_like_jwt("a+.b.c"));
}

TEST(jwt_hs256, a_member_named_twice_is_malformed) {
    EXPECT_EQ(failure(sign(R"({"alg":"HS256","alg":"none"})", exp_in(60), secret_a)), auth_failure::malformed);
    EXPECT_EQ(failure(sign(R"({"typ":"JWT","alg":"HS256","typ":"x"})", exp_in(60), secret_a)), auth_failure::malformed);
    // exp twice: the first would grant, the second has expired.
    EXPECT_EQ(failure(jwt("{\"exp\":" + std::to_string(now_s + 60) + ",\"exp\":1}")), auth_failure::malformed);
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"rooms":["sensor:a"],"rooms":["sensor:*"])"))), auth_failure::malformed);
    EXPECT_EQ(failure(jwt(exp_in(60, R"(,"x":{"a":1,"a":1})"))), auth_failure::malformed);
}


}  // namespace
}  // namespace sb
