#include "http/request_token.hpp"

#include <gtest/gtest.h>

#include "http/rest_auth.hpp"

namespace sb {
namespace {

TEST(request_token, reads_a_bearer_header_first) {
    auto t = find_token("Bearer abc.def", {"bearer.other"}, "/ws?token=third");
    EXPECT_EQ(t.source, token_source::header);
    EXPECT_EQ(t.token, "abc.def");
    EXPECT_FALSE(t.malformed);
    EXPECT_EQ(find_token("  bearer   xyz ", {}, "/").token, "xyz");
}

TEST(request_token, another_authorization_scheme_is_malformed_not_ignored) {
    EXPECT_TRUE(find_token("Basic dXNlcjpwYXNz", {}, "/?token=abc").malformed);
    EXPECT_TRUE(find_token("Bearer", {}, "/").malformed);
    EXPECT_TRUE(find_token("Bearer ", {}, "/").malformed);
}

TEST(request_token, then_a_bearer_subprotocol_then_the_query) {
    auto sub = find_token("", {"sensor-bridge", "bearer.eyJ.x.y"}, "/ws?token=q");
    EXPECT_EQ(sub.source, token_source::subprotocol);
    EXPECT_EQ(sub.token, "eyJ.x.y");
    auto q = find_token("", {"sensor-bridge"}, "/ws?a=1&token=abc%2Ddef");
    EXPECT_EQ(q.source, token_source::query);
    EXPECT_EQ(q.token, "abc-def");
    EXPECT_EQ(find_token("", {}, "/ws?access_token=zz").token, "zz");
    EXPECT_TRUE(find_token("", {}, "/ws?token=%zz").malformed);
    EXPECT_TRUE(find_token("", {}, "/ws?token=").malformed);
    EXPECT_EQ(find_token("", {"bearer."}, "/ws").source, token_source::none);
}

TEST(request_token, echoes_the_application_subprotocol_rather_than_the_token) {
    EXPECT_EQ(choose_subprotocol({"bearer.secret", "sensor-bridge"}), "sensor-bridge");
    EXPECT_EQ(choose_subprotocol({"bearer.secret"}), "bearer.secret");
    EXPECT_EQ(choose_subprotocol({"chat"}), "");
}

TEST(request_token, redacts_token_parameters_and_nothing_else) {
    EXPECT_EQ(redact_target("/ws?token=s3cret"), "/ws?token=REDACTED");
    EXPECT_EQ(redact_target("/api/sensors?prefix=a&token=s3cret&x"), "/api/sensors?prefix=a&token=REDACTED&x");
    EXPECT_EQ(redact_target("/ws?access_token=s3cret&token=t2"), "/ws?access_token=REDACTED&token=REDACTED");
    EXPECT_EQ(redact_target("/ws?tokens=keep"), "/ws?tokens=keep");
    EXPECT_EQ(redact_target("/ws"), "/ws");
}

TEST(rest_auth, health_and_static_files_stay_public) {
    EXPECT_FALSE(path_needs_token("/api/health"));
    EXPECT_FALSE(path_needs_token("/"));
    EXPECT_FALSE(path_needs_token("/assets/index.js"));
    for (const char* p : {"/api", "/api/", "/api/sensors", "/api/stats", "/api/health/", "/api//health", "/metrics",
                          "/metrics/"}) {
        EXPECT_TRUE(path_needs_token(p)) << p;
    }
}

TEST(rest_auth, the_401_follows_the_rest_error_shape_and_challenges) {
    auto r = unauthorized_reply(auth_failure::expired);
    EXPECT_EQ(r.status, 401);
    EXPECT_EQ(r.body, R"({"error":{"code":"UNAUTHORIZED","message":"token expired"}})");
    ASSERT_FALSE(r.headers.empty());
    EXPECT_EQ(r.headers[0].second, R"(Bearer realm="sensor-bridge", error="invalid_token")");
    EXPECT_EQ(unauthorized_reply(auth_failure::missing).headers[0].second, R"(Bearer realm="sensor-bridge")");
}

}  // namespace
}  // namespace sb
