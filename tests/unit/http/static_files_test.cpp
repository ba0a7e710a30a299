#include "http/static_files.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <string>
#include <vector>

namespace fs = std::filesystem;

namespace sb {
namespace {

std::string header(const http_reply& reply, std::string_view name) {
    for (const auto& [key, value] : reply.headers) {
        if (key == name) return value;
    }
    return "<absent>";
}

void write_file(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream out(path, std::ios::binary);
    out << content;
}

// A fresh directory under the system temp dir, removed when the fixture ends.
fs::path make_temp_dir() {
    std::string pattern = (fs::temp_directory_path() / "sb-static-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    return fs::path(pattern);
}

class static_files_test : public ::testing::Test {
protected:
    void SetUp() override {
        base_ = make_temp_dir();
        root_ = base_ / "web";
        write_file(root_ / "index.html", "<!doctype html><title>root</title>");
        write_file(root_ / "app.js", "console.log(1);");
        write_file(root_ / "style.css", "body{}");
        write_file(root_ / "sub" / "index.html", "<p>sub</p>");
        write_file(root_ / "bin.png", std::string("\x89PNG\0\r\n", 7));
        fs::create_directories(root_ / "empty-dir");
        write_file(base_ / "secret.txt", "top secret");
        write_file(base_ / "web-other" / "x.txt", "sibling");
        fs::create_symlink(base_ / "secret.txt", root_ / "leak.txt");
        fs::create_directory_symlink(base_, root_ / "up");
        fs::create_symlink(root_ / "app.js", root_ / "alias.js");
    }
    void TearDown() override {
        std::error_code ec;
        fs::remove_all(base_, ec);
    }

    http_reply get(const std::string& target, const std::string& method = "GET") const {
        return static_files(root_).serve(http_request{method, target});
    }

    fs::path base_;
    fs::path root_;
};

TEST(static_files_path, traversal_attempts_are_refused) {
    const std::vector<std::string> targets = {
        "/../etc/passwd",
        "/%2e%2e/etc/passwd",
        "/%2E%2E%2Fetc%2Fpasswd",
        "/a/%2f..",
        "/a/%2F",
        "/sub%2Findex.html",
        "/sub%2findex.html",
        "/..%5c..",
        "/..%5C..",
        "//etc/passwd",
        "/a//b",
        "/a/../../x",
        "/a/..",
        "/..",
        "/%00",
        "/index.html%00.js",
        "\\",
        "\\..\\x",
        "/a\\..\\x",
        "C:\\x",
        "C:/x",
        "/.%2e/x",
        "/./index.html",
        "/%2e/index.html",
        "",
        "index.html",
        "/%zz",
        "/%4",
        "/%",
    };
    for (const auto& target : targets) {
        EXPECT_FALSE(static_files::safe_relative_path(target).has_value()) << target;
    }
}

TEST(static_files_path, good_targets_map_to_relative_paths) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"/", "index.html"},
        {"/?x=1", "index.html"},
        {"/#frag", "index.html"},
        {"/app.js", "app.js"},
        {"/app.js?v=3", "app.js"},
        {"/sub/", "sub/index.html"},
        {"/sub", "sub"},
        {"/assets/a%20b.css", "assets/a b.css"},
        {"/a+b.js", "a+b.js"},
        {"/%2541", "%41"},  // decoded once only
        {"/..foo/x..", "..foo/x.."},
    };
    for (const auto& [target, expected] : cases) {
        const auto rel = static_files::safe_relative_path(target);
        ASSERT_TRUE(rel.has_value()) << target;
        EXPECT_EQ(*rel, expected) << target;
    }
}

TEST(static_files_type, content_type_by_extension) {
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"index.html", "text/html; charset=utf-8"},
        {"a/b/app.js", "text/javascript; charset=utf-8"},
        {"mod.mjs", "text/javascript; charset=utf-8"},
        {"style.css", "text/css; charset=utf-8"},
        {"data.json", "application/json"},
        {"app.js.map", "application/json"},
        {"logo.svg", "image/svg+xml"},
        {"logo.png", "image/png"},
        {"favicon.ico", "image/x-icon"},
        {"robots.txt", "text/plain; charset=utf-8"},
        {"site.webmanifest", "application/manifest+json"},
        {"font.woff2", "font/woff2"},
        {"INDEX.HTML", "text/html; charset=utf-8"},
        {"archive.tar.gz", "application/octet-stream"},
        {"noext", "application/octet-stream"},
        {"dir.js/noext", "application/octet-stream"},
    };
    for (const auto& [path, type] : cases) {
        EXPECT_EQ(static_files::content_type_for(path), type) << path;
    }
}

TEST_F(static_files_test, serves_files_with_their_types) {
    struct serve_case {
        std::string target;
        std::string type;
        std::string body;
    };
    const std::vector<serve_case> cases = {
        {"/", "text/html; charset=utf-8", "<!doctype html><title>root</title>"},
        {"/index.html", "text/html; charset=utf-8", "<!doctype html><title>root</title>"},
        {"/app.js", "text/javascript; charset=utf-8", "console.log(1);"},
        {"/app.js?cache=1", "text/javascript; charset=utf-8", "console.log(1);"},
        {"/style.css", "text/css; charset=utf-8", "body{}"},
        {"/sub/", "text/html; charset=utf-8", "<p>sub</p>"},
        {"/sub", "text/html; charset=utf-8", "<p>sub</p>"},
        {"/alias.js", "text/javascript; charset=utf-8", "console.log(1);"},  // symlink inside
        {"/bin.png", "image/png", std::string("\x89PNG\0\r\n", 7)},
    };
    for (const auto& c : cases) {
        const http_reply reply = get(c.target);
        EXPECT_EQ(reply.status, 200) << c.target;
        EXPECT_EQ(reply.content_type, c.type) << c.target;
        EXPECT_EQ(reply.body, c.body) << c.target;
        EXPECT_EQ(header(reply, "X-Content-Type-Options"), "nosniff") << c.target;
    }
}

TEST_F(static_files_test, html_is_revalidated_and_assets_are_not_forced_to) {
    EXPECT_EQ(header(get("/"), "Cache-Control"), "no-cache");
    EXPECT_EQ(header(get("/app.js"), "Cache-Control"), "<absent>");
}

TEST_F(static_files_test, head_answers_like_get) {
    const http_reply reply = get("/app.js", "HEAD");
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "text/javascript; charset=utf-8");
}

TEST_F(static_files_test, other_methods_are_405) {
    for (const char* method : {"POST", "PUT", "DELETE"}) {
        const http_reply reply = get("/", method);
        EXPECT_EQ(reply.status, 405) << method;
        EXPECT_EQ(header(reply, "Allow"), "GET, HEAD");
    }
}

TEST_F(static_files_test, refused_targets_are_403_plain_text) {
    for (const char* target : {"/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                               "//etc/passwd", "/sub/../../secret.txt", "/.%2e/secret.txt"}) {
        const http_reply reply = get(target);
        EXPECT_EQ(reply.status, 403) << target;
        EXPECT_EQ(reply.body, "Forbidden\n");
        EXPECT_EQ(reply.content_type.rfind("text/plain", 0), 0u);
    }
}

TEST_F(static_files_test, symlinks_leading_outside_the_root_are_403) {
    for (const char* target : {"/leak.txt", "/up/secret.txt", "/up/", "/up/web-other/x.txt"}) {
        const http_reply reply = get(target);
        EXPECT_EQ(reply.status, 403) << target;
        EXPECT_EQ(reply.body.find("secret"), std::string::npos);
    }
}

TEST_F(static_files_test, symlinked_index_outside_the_root_is_403) {
    fs::create_directories(root_ / "trap");
    fs::create_symlink(base_ / "secret.txt", root_ / "trap" / "index.html");
    EXPECT_EQ(get("/trap/").status, 403);
    EXPECT_EQ(get("/trap").status, 403);
}

TEST_F(static_files_test, missing_files_and_bare_directories_are_404) {
    for (const char* target : {"/nope.js", "/nope/", "/empty-dir/", "/empty-dir",
                               "/index.html/x", "/sub/nope.css"}) {
        const http_reply reply = get(target);
        EXPECT_EQ(reply.status, 404) << target;
        EXPECT_EQ(reply.body, "Not Found\n");
    }
}

TEST_F(static_files_test, files_over_16_mib_are_refused_with_a_clear_message) {
    write_file(root_ / "big.bin", "");
    fs::resize_file(root_ / "big.bin", 16u * 1024u * 1024u + 1u);  // sparse: cheap to create
    write_file(root_ / "edge.bin", "");
    fs::resize_file(root_ / "edge.bin", 16u * 1024u * 1024u);

    const http_reply big = get("/big.bin");
    EXPECT_EQ(big.status, 500);
    EXPECT_NE(big.body.find("too large"), std::string::npos) << big.body;
    const http_reply edge = get("/edge.bin");
    EXPECT_EQ(edge.status, 200);
    EXPECT_EQ(edge.body.size(), 16u * 1024u * 1024u);
}

TEST_F(static_files_test, root_given_with_dots_and_slash_is_canonicalized) {
    const static_files files(base_ / "web" / ".." / "web" / "");
    EXPECT_EQ(files.root(), fs::canonical(root_));
    EXPECT_EQ(files.serve(http_request{"GET", "/app.js"}).status, 200);
}

TEST_F(static_files_test, default_web_root_prefers_the_installed_share_folder) {
    const fs::path prefix = base_ / "prefix";
    const fs::path installed = prefix / "share" / "sensor-bridge" / "web";
    write_file(installed / "index.html", "installed");
    EXPECT_EQ(default_web_root(prefix / "bin" / "sensor-bridge"), installed);

    const fs::path fallback = default_web_root(base_ / "elsewhere" / "bin" / "sensor-bridge");
    EXPECT_TRUE(fallback == fs::path(SENSOR_BRIDGE_BUILD_WEB_ROOT) ||
                fallback == fs::path(SENSOR_BRIDGE_INSTALL_WEB_ROOT))
        << fallback;
}

}  // namespace
}  // namespace sb
