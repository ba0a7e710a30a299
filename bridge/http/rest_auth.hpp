#pragma once
// Which HTTP requests need a token when the bridge has a --token-file, and the 401 they get
// without one. The dashboard's static files stay public (the page must load to ask for the
// token), and so does GET /api/health (load balancers, and the dashboard learns from it that
// a token is needed). Pure.
#include <string_view>

#include "auth/auth_result.hpp"
#include "http/http_types.hpp"

namespace sb {

// path: the request path, still percent-encoded (as the router matches it).
bool path_needs_token(std::string_view path) noexcept;

// 401 {"error":{"code":"UNAUTHORIZED","message":...}} with WWW-Authenticate (RFC 6750 §3).
http_reply unauthorized_reply(auth_failure why);

}  // namespace sb
