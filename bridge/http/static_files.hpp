#pragma once
// The dashboard's static files from the web root. Never serves anything outside it.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "http/http_types.hpp"

namespace sb {

class static_files {
public:
    explicit static_files(std::filesystem::path root);

    // GET/HEAD of a static file: 200 with its content type, 404 when missing, 403 when the
    // decoded path would leave the root (.., %2e%2e, %2f, backslashes, NUL, absolute paths).
    // "/" and directories serve their index.html.
    http_reply serve(const http_request& req) const;

    // The safe path relative to the root for a request target, or nullopt when refused.
    // Pure: no filesystem access.
    static std::optional<std::string> safe_relative_path(std::string_view target);

    static std::string_view content_type_for(std::string_view path);

    const std::filesystem::path& root() const noexcept { return root_; }

private:
    std::filesystem::path root_;  // canonical
};

// The web root used without --web-root: the installed share folder next to the executable's
// prefix when present, else the build tree's web/dist.
std::filesystem::path default_web_root(const std::filesystem::path& executable);

}  // namespace sb
