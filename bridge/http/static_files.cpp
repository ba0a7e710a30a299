#include "http/static_files.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <fstream>
#include <string>
#include <system_error>
#include <utility>
#include <variant>

#include "http/query_string.hpp"
#include "http/url_decode.hpp"

namespace fs = std::filesystem;

namespace sb {
namespace {

// Bigger files are refused rather than read into memory whole.
constexpr std::uintmax_t max_static_file_bytes = 16u * 1024u * 1024u;

http_reply text_reply(int status, std::string body) {
    http_reply reply;
    reply.status = status;
    reply.content_type = "text/plain; charset=utf-8";
    reply.body = std::move(body);
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    return reply;
}

http_reply forbidden() { return text_reply(403, "Forbidden\n"); }
http_reply not_found() { return text_reply(404, "Not Found\n"); }

char ascii_lower(char c) noexcept { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool contains_ci(std::string_view haystack, std::string_view needle) {
    const auto it = std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end(),
                                [](char a, char b) { return ascii_lower(a) == ascii_lower(b); });
    return it != haystack.end();
}

// Each segment of "a/b/" must be a real name: no "", ".", ".."; only the last may be empty
// (a trailing slash).
bool segments_are_safe(std::string_view rel) {
    while (true) {
        const std::size_t slash = rel.find('/');
        const std::string_view seg = rel.substr(0, slash);
        if (slash == std::string_view::npos) return seg != "." && seg != "..";
        if (seg.empty() || seg == "." || seg == "..") return false;
        rel.remove_prefix(slash + 1);
    }
}

// Whether path lies in root (both canonical, root without a trailing separator), compared
// element by element so "/web-other" is not inside "/web".
bool is_within(const fs::path& path, const fs::path& root) {
    if (root.empty()) return false;
    auto p = path.begin();
    for (auto r = root.begin(); r != root.end(); ++r, ++p) {
        if (p == path.end() || *p != *r) return false;
    }
    return true;
}

// The canonical form of p (symlinks resolved) when it stays inside root.
std::optional<fs::path> resolve_inside(const fs::path& p, const fs::path& root) {
    std::error_code ec;
    fs::path canonical = fs::weakly_canonical(p, ec);
    if (ec || !is_within(canonical, root)) return std::nullopt;
    return canonical;
}

// The whole file, binary-safe, or an error reply.
std::variant<std::string, http_reply> read_file(const fs::path& file) {
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    if (ec) return not_found();
    if (size > max_static_file_bytes) {
        return text_reply(500, "File too large to serve (over 16 MiB)\n");
    }
    std::ifstream in(file, std::ios::binary);
    if (!in) return not_found();
    std::string data(static_cast<std::size_t>(size), '\0');
    in.read(data.data(), static_cast<std::streamsize>(data.size()));
    if (in.gcount() != static_cast<std::streamsize>(data.size())) {
        return text_reply(500, "Could not read file\n");
    }
    return data;
}

}  // namespace

static_files::static_files(fs::path root) {
    std::error_code ec;
    root_ = fs::weakly_canonical(root, ec);
    if (ec) root_ = fs::absolute(root, ec).lexically_normal();  // empty on failure: serves nothing
    if (!root_.has_filename() && root_.has_relative_path()) root_ = root_.parent_path();
}

std::optional<std::string> static_files::safe_relative_path(std::string_view target) {
    const std::string_view raw = split_target(target).path;
    if (raw.empty() || raw.front() != '/') return std::nullopt;
    // An encoded separator would let one segment smuggle a path through the checks below.
    if (contains_ci(raw, "%2f") || contains_ci(raw, "%5c")) return std::nullopt;
    const auto decoded = percent_decode(raw);
    if (!decoded) return std::nullopt;
    if (decoded->find('\0') != std::string::npos || decoded->find('\\') != std::string::npos) {
        return std::nullopt;
    }
    std::string rel = decoded->substr(1);
    if (!segments_are_safe(rel)) return std::nullopt;
    if (rel.empty() || rel.back() == '/') rel += "index.html";
    return rel;
}

http_reply static_files::serve(const http_request& req) const {
    if (req.method != "GET" && req.method != "HEAD") {
        http_reply reply = text_reply(405, "Method Not Allowed\n");
        reply.headers.emplace_back("Allow", "GET, HEAD");
        return reply;
    }
    const auto rel = safe_relative_path(req.target);
    if (!rel) return forbidden();

    fs::path requested = root_ / fs::path(*rel);
    auto file = resolve_inside(requested, root_);
    if (!file) return forbidden();
    std::error_code ec;
    if (fs::is_directory(*file, ec)) {
        requested /= "index.html";
        file = resolve_inside(requested, root_);  // index.html may itself be a symlink
        if (!file) return forbidden();
    }
    if (!fs::is_regular_file(*file, ec)) return not_found();

    auto content = read_file(*file);
    if (auto* error = std::get_if<http_reply>(&content)) return std::move(*error);

    http_reply reply;
    reply.status = 200;
    const std::string name = requested.filename().string();
    reply.content_type = std::string(content_type_for(name));
    reply.body = std::move(std::get<std::string>(content));
    reply.headers.emplace_back("X-Content-Type-Options", "nosniff");
    if (reply.content_type.rfind("text/html", 0) == 0) {
        reply.headers.emplace_back("Cache-Control", "no-cache");
    }
    return reply;
}

std::string_view static_files::content_type_for(std::string_view path) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> types{{
        {".html", "text/html; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},
        {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},
        {".map", "application/json"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".webmanifest", "application/manifest+json"},
        {".woff2", "font/woff2"},
        {".htm", "text/html; charset=utf-8"},
    }};
    const std::size_t slash = path.find_last_of('/');
    const std::string_view name = slash == std::string_view::npos ? path : path.substr(slash + 1);
    const std::size_t dot = name.find_last_of('.');
    if (dot == std::string_view::npos) return "application/octet-stream";
    std::string ext(name.substr(dot));
    std::transform(ext.begin(), ext.end(), ext.begin(), ascii_lower);
    for (const auto& [suffix, type] : types) {
        if (ext == suffix) return type;
    }
    return "application/octet-stream";
}

fs::path default_web_root(const fs::path& executable) {
    std::error_code ec;
    // <prefix>/bin/sensor-bridge -> <prefix>/share/sensor-bridge/web, taken lexically so a
    // relative argv[0] such as "./sensor-bridge" works too.
    const fs::path exe = fs::absolute(executable, ec).lexically_normal();
    if (!ec && exe.has_parent_path()) {
        const fs::path prefix = exe.parent_path().parent_path();
        const fs::path installed = prefix / "share" / "sensor-bridge" / "web";
        if (fs::exists(installed / "index.html", ec)) return installed;
    }
    const fs::path build_tree{SENSOR_BRIDGE_BUILD_WEB_ROOT};
    if (fs::is_directory(build_tree, ec)) return build_tree;
    return fs::path{SENSOR_BRIDGE_INSTALL_WEB_ROOT};
}

}  // namespace sb
