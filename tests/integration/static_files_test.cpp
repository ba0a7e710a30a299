// Static files over real HTTP (docs/PROTOCOL.md §6): the web root is served, nothing outside it ever is.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "support/bridge_test.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

constexpr const char* secret_marker = "root:x:0:0:sb-it-secret";

class static_files : public bridge_test {
protected:
    void SetUp() override {
        bridge_test::SetUp();
        if (HasFatalFailure()) return;
        // A file next to the web root, and a link out of it: both must stay unreachable.
        write_file(dir_ / "secret.txt", std::string(secret_marker) + "\n");
        std::filesystem::create_symlink("/etc", dir_ / "web" / "etc-link");
        std::filesystem::create_symlink(dir_ / "secret.txt", dir_ / "web" / "secret-link.txt");
    }
};

const std::vector<std::string> traversal_targets{
    "/../etc/passwd",
    "/../../../../../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e%2fetc%2fpasswd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/..%5c..%5cetc/passwd",
    "/..\\..\\..\\..\\etc\\passwd",
    "/.%2e/.%2e/.%2e/.%2e/etc/passwd",
    "/%252e%252e/%252e%252e/etc/passwd",
    "//etc/passwd",
    "/%2fetc%2fpasswd",
    "/./../etc/passwd",
    "/index.html/../../etc/passwd",
    "/etc-link/passwd",
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/secret-link.txt",
    "/%00/../../etc/passwd",
};

TEST_F(static_files, traversal_is_refused) {
    for (const auto& target : traversal_targets) {
        SCOPED_TRACE(target);
        const http_response r = get(target);
        EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 404)
            << "status " << r.status << " " << r.error << " body: " << r.body.substr(0, 200);
        EXPECT_EQ(r.body.find("root:"), std::string::npos) << "leaked: " << r.body.substr(0, 200);
        EXPECT_EQ(r.body.find(secret_marker), std::string::npos);
    }
    EXPECT_TRUE(bridge_->running());
}

TEST_F(static_files, root_serves_the_index_html_of_the_web_root) {
    for (const char* target : {"/", "/index.html"}) {
        SCOPED_TRACE(target);
        const http_response r = get(target);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.header("content-type").rfind("text/html", 0), 0u) << r.header("content-type");
        EXPECT_NE(r.body.find(index_html_marker), std::string::npos) << r.body.substr(0, 200);
    }
    const http_response head = http_request(port(), "HEAD", "/");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
}

TEST_F(static_files, missing_file_is_404) {
    const http_response r = get("/no-such-file.js");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.body.find(index_html_marker), std::string::npos);
}

TEST_F(static_files, api_routes_are_unaffected) {
    const http_response r = get("/api/sensors/x");
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(json_doc(r.body).str("/error/code"), "NOT_FOUND") << r.body;
    EXPECT_EQ(get("/api/health").status, 200);
}

class static_files_default_root : public bridge_test {
protected:
    bool with_web_root() const override { return false; }
};

// Issue 2: without --web-root the bridge serves the page it was built with, wherever it is
// started from. The fixture starts it in its temp dir, far from the source tree.
TEST_F(static_files_default_root, without_web_root_serves_the_built_dashboard_from_any_directory) {
    const std::filesystem::path built{SENSOR_BRIDGE_BUILD_WEB_ROOT};
    if (!std::filesystem::exists(built / "index.html")) {
        GTEST_SKIP() << built << "/index.html is missing: build the dashboard first (scripts/build.sh)";
    }
    std::error_code ec;
    const auto cwd = std::filesystem::read_symlink("/proc/" + std::to_string(bridge_->pid()) + "/cwd", ec);
    ASSERT_FALSE(ec) << ec.message();
    EXPECT_TRUE(std::filesystem::equivalent(cwd, dir_.path(), ec)) << cwd << " is not the fixture's temp dir";
    // Outside the source tree, or a relative web/dist would do and this would prove nothing.
    EXPECT_EQ(cwd.string().rfind(built.parent_path().parent_path().string(), 0), std::string::npos) << cwd;
    for (const char* target : {"/", "/index.html"}) {
        SCOPED_TRACE(target);
        const http_response r = get(target);
        ASSERT_EQ(r.status, 200) << r.body.substr(0, 200);
        EXPECT_EQ(r.header("content-type").rfind("text/html", 0), 0u) << r.header("content-type");
        EXPECT_EQ(r.body, read_whole_file(built / "index.html"));
    }
}

TEST_F(static_files_default_root, without_web_root_the_bridge_runs_and_still_refuses_traversal) {
    for (const auto& target : traversal_targets) {
        SCOPED_TRACE(target);
        const http_response r = get(target);
        EXPECT_TRUE(r.status == 400 || r.status == 403 || r.status == 404) << "status " << r.status;
        EXPECT_EQ(r.body.find("root:"), std::string::npos);
    }
    EXPECT_EQ(get("/api/health").status, 200);
}

}  // namespace
}  // namespace sb_it
