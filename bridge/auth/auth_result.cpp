#include "auth/auth_result.hpp"

namespace sb {

std::string_view to_string(auth_failure f) noexcept {
    switch (f) {
        case auth_failure::missing: return "missing";
        case auth_failure::malformed: return "malformed";
        case auth_failure::unknown_token: return "unknown_token";
        case auth_failure::bad_algorithm: return "bad_algorithm";
        case auth_failure::bad_signature: return "bad_signature";
        case auth_failure::bad_claims: return "bad_claims";
        case auth_failure::expired: return "expired";
        case auth_failure::not_yet_valid: return "not_yet_valid";
    }
    return "unknown";
}

std::string_view client_text(auth_failure f) noexcept {
    switch (f) {
        case auth_failure::missing: return "token required";
        case auth_failure::expired: return "token expired";
        case auth_failure::not_yet_valid: return "token not yet valid";
        default: return "invalid token";
    }
}

}  // namespace sb
