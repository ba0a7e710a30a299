#include "auth/jwt_hs256.hpp"

#include <rapidjson/document.h>

#include <cmath>
#include <optional>

#include "auth/base64url.hpp"
#include "auth/crypto.hpp"
#include "core/json_depth.hpp"
#include "core/json_duplicate_key.hpp"
#include "core/utf8_excerpt.hpp"

namespace sb {
namespace {

constexpr int max_jwt_depth = 4;
constexpr std::size_t max_subject_bytes = 64;

struct jwt_parts {
    std::string_view header, payload, signature;  // still encoded
};

std::optional<jwt_parts> split(std::string_view token) {
    const auto a = token.find('.');
    if (a == std::string_view::npos) return std::nullopt;
    const auto b = token.find('.', a + 1);
    if (b == std::string_view::npos || token.find('.', b + 1) != std::string_view::npos) return std::nullopt;
    jwt_parts p{token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
    if (p.header.empty() || p.payload.empty() || p.signature.empty()) return std::nullopt;
    return p;
}

// A JSON object decoded from one base64url part, or nullopt. duplicate: set when the part is
// an object that names a member twice (refused, as every JSON input: core/json_duplicate_key).
std::optional<rapidjson::Document> decode_object(std::string_view part, bool& duplicate) {
    duplicate = false;
    auto text = base64url_decode(part);
    if (!text || json_exceeds_depth(*text, max_jwt_depth)) return std::nullopt;
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag>(text->data(), text->size());
    if (doc.HasParseError() || !doc.IsObject()) return std::nullopt;
    duplicate = find_duplicate_key(doc).has_value();
    if (duplicate) return std::nullopt;
    return doc;
}

bool header_acceptable(const rapidjson::Document& h) {
    auto alg = h.FindMember("alg");
    if (alg == h.MemberEnd() || !alg->value.IsString()) return false;
    if (std::string_view(alg->value.GetString(), alg->value.GetStringLength()) != "HS256") return false;
    if (h.HasMember("crit")) return false;  // extensions we would not understand
    auto typ = h.FindMember("typ");
    if (typ == h.MemberEnd()) return true;
    if (!typ->value.IsString()) return false;
    std::string t(typ->value.GetString(), typ->value.GetStringLength());
    return t == "JWT" || t == "jwt";
}

bool signature_valid(const jwt_parts& p, std::string_view signed_text, const std::vector<std::string>& secrets) {
    auto sig = base64url_decode(p.signature);
    if (!sig || sig->size() != sha256_digest{}.size()) return false;
    sha256_digest given{};
    for (std::size_t i = 0; i < given.size(); ++i) given[i] = static_cast<unsigned char>((*sig)[i]);
    bool ok = false;
    for (const auto& secret : secrets) {  // no early exit: every secret costs the same
        auto mac = hmac_sha256(secret, signed_text);
        if (mac && equal_constant_time(*mac, given)) ok = true;
    }
    return ok;
}

// A NumericDate (seconds, fractions allowed) as ms, or nullopt when absent or not a sane number.
std::optional<std::int64_t> numeric_date_ms(const rapidjson::Value& v) {
    if (!v.IsNumber()) return std::nullopt;
    const double s = v.GetDouble();
    if (!std::isfinite(s) || s < 0 || s > 1e13) return std::nullopt;
    return static_cast<std::int64_t>(s * 1000.0);
}

}  // namespace

bool looks_like_jwt(std::string_view token) noexcept {
    std::size_t dots = 0;
    for (char c : token) {
        if (c == '.') {
            ++dots;
        } else if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                     c == '_')) {
            return false;
        }
    }
    return dots == 2;
}

auth_result verify_jwt_hs256(std::string_view token, const std::vector<std::string>& secrets, std::int64_t now_ms) {
    if (token.size() > max_token_bytes) return auth_failure::malformed;
    auto parts = split(token);
    if (!parts) return auth_failure::malformed;
    bool duplicate = false;
    auto header = decode_object(parts->header, duplicate);
    if (!header) return auth_failure::malformed;
    if (!header_acceptable(*header)) return auth_failure::bad_algorithm;
    const std::string_view signed_text = token.substr(0, parts->header.size() + 1 + parts->payload.size());
    if (!signature_valid(*parts, signed_text, secrets)) return auth_failure::bad_signature;

    auto claims = decode_object(parts->payload, duplicate);
    if (!claims) return duplicate ? auth_failure::malformed : auth_failure::bad_claims;
    auto exp_it = claims->FindMember("exp");
    if (exp_it == claims->MemberEnd()) return auth_failure::bad_claims;
    auto exp = numeric_date_ms(exp_it->value);
    if (!exp) return auth_failure::bad_claims;
    if (now_ms > *exp + jwt_leeway_ms) return auth_failure::expired;
    if (auto nbf_it = claims->FindMember("nbf"); nbf_it != claims->MemberEnd()) {
        auto nbf = numeric_date_ms(nbf_it->value);
        if (!nbf) return auth_failure::bad_claims;
        if (now_ms + jwt_leeway_ms < *nbf) return auth_failure::not_yet_valid;
    }
    auth_grant grant;
    grant.valid_until_ms = *exp + jwt_leeway_ms;
    if (auto rooms = claims->FindMember("rooms"); rooms != claims->MemberEnd()) {
        if (!rooms->value.IsArray() || rooms->value.Size() > max_jwt_rooms) return auth_failure::bad_claims;
        std::vector<std::string> patterns;
        for (const auto& r : rooms->value.GetArray()) {
            if (!r.IsString()) return auth_failure::bad_claims;
            patterns.emplace_back(r.GetString(), r.GetStringLength());
        }
        auto scope = room_scope::parse(patterns);
        if (!scope) return auth_failure::bad_claims;
        grant.scope = std::move(*scope);
    }
    // RFC 8693 §4.2: "scope" is a string of space-separated scopes; "admin" is the one known here.
    if (auto scope = claims->FindMember("scope"); scope != claims->MemberEnd()) {
        if (!scope->value.IsString()) return auth_failure::bad_claims;
        const std::string_view scopes(scope->value.GetString(), scope->value.GetStringLength());
        for (std::size_t at = 0; at <= scopes.size();) {
            const std::size_t end = std::min(scopes.find(' ', at), scopes.size());
            if (scopes.substr(at, end - at) == "admin") grant.admin = true;
            at = end + 1;
        }
    }
    if (auto sub = claims->FindMember("sub"); sub != claims->MemberEnd() && sub->value.IsString()) {
        grant.subject = utf8_excerpt(std::string_view(sub->value.GetString(), sub->value.GetStringLength()),
                                     max_subject_bytes);
    }
    return grant;
}

}  // namespace sb
