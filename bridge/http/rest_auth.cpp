#include "http/rest_auth.hpp"

#include <string>

namespace sb {

bool path_needs_token(std::string_view path) noexcept {
    if (path == "/api/health") return false;
    // Prefixes rather than the router's exact routes: whatever it might answer is covered.
    return path.compare(0, 4, "/api") == 0 || path.compare(0, 8, "/metrics") == 0;
}

http_reply unauthorized_reply(auth_failure why) {
    http_reply reply = json_error(401, "UNAUTHORIZED", client_text(why));
    std::string challenge = "Bearer realm=\"sensor-bridge\"";
    if (why != auth_failure::missing) challenge += ", error=\"invalid_token\"";
    reply.headers.emplace_back("WWW-Authenticate", std::move(challenge));
    reply.headers.emplace_back("Cache-Control", "no-store");
    return reply;
}

}  // namespace sb
