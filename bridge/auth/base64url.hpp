#pragma once
// Strict base64url (RFC 4648 §5) without padding, as JWTs use it (RFC 7515 §2).
#include <optional>
#include <string>
#include <string_view>

namespace sb {

// nullopt for anything but canonical unpadded base64url: a character outside [A-Za-z0-9_-],
// '=' padding, a length of 1 mod 4, or unused low bits that are not zero (so one token has
// exactly one spelling).
std::optional<std::string> base64url_decode(std::string_view text);

std::string base64url_encode(std::string_view bytes);

}  // namespace sb
