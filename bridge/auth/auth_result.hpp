#pragma once
// What checking a token yields: a grant (the rooms it covers, when it expires, who it names)
// or the reason it was refused. Reasons are detailed for the log; clients get client_text().
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "auth/room_scope.hpp"

namespace sb {

struct auth_grant {
    room_scope scope = room_scope::everything();
    std::optional<std::int64_t> valid_until_ms;  // JWT exp plus the leeway; static tokens do not expire
    std::string subject;                        // JWT sub, or "token-line-N": for the log, never a secret
    bool admin = false;  // may change state (DELETE /api/sensors/{id}): the admin scope
};

enum class auth_failure {
    missing,        // no token at all
    malformed,      // too long, bad characters, not a JWT where one was needed
    unknown_token,  // no static token matches and it is no JWT
    bad_algorithm,  // JWT alg other than HS256 ("none" included), or a crit header
    bad_signature,  // no jwt-secret verifies it
    bad_claims,     // exp missing or not a number, rooms not a list of rooms, ...
    expired,        // exp (plus the leeway) has passed
    not_yet_valid,  // nbf (minus the leeway) is still ahead
};

using auth_result = std::variant<auth_grant, auth_failure>;

// "missing", "malformed", ... for log lines.
std::string_view to_string(auth_failure f) noexcept;
// What a client is told: "token required", "token expired", "token not yet valid" or "invalid token".
std::string_view client_text(auth_failure f) noexcept;

}  // namespace sb
