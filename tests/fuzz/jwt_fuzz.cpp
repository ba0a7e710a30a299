// libFuzzer target: the token parsers (issue 19, finding 6): base64url, HS256 JWTs and the
// --token-file. The first byte picks the mode:
//   'T' the rest is a token as presented (header, query or subprotocol): verify_jwt_hs256 with
//       a fixed key, and token_verifier over a fixed file;
//   'S' the rest is "<header JSON>\n<claims JSON>": the harness signs it with the fixed key,
//       so the parsing behind the signature check is reached;
//   'F' the rest is a token file: parse_token_file, then every token it lists is verified;
//   any other byte: the rest is base64url text and bytes for the round trips.
// Invariants: base64url has one spelling per byte string (decode(encode(b)) == b, and
// encode(decode(t)) == t when t decodes); a granted JWT has exp within the leeway of now, a
// bounded UTF-8 subject, and signed JSON with a member named twice is refused as malformed;
// a token the harness signed is never refused for its signature; a token file either loads
// (something in it, secrets >= 32 bytes, every token it lists verifies) or gives a one-line
// "line N: ..." reason that never quotes a token or secret from the file.
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "auth/base64url.hpp"
#include "auth/crypto.hpp"
#include "auth/jwt_hs256.hpp"
#include "auth/token_file.hpp"
#include "auth/token_verifier.hpp"
#include "fuzz_check.hpp"

namespace sb::fuzz {
namespace {

constexpr std::int64_t now_ms = 1'765'000'000'000;
const std::string secret = "fuzz-secret-0123456789abcdefghijklmnop";  // >= 32 bytes
const std::vector<std::string> secrets{secret};

bool is_failure(const auth_result& r, auth_failure f) {
    const auto* got = std::get_if<auth_failure>(&r);
    return got != nullptr && *got == f;
}

void check_grant(const auth_result& r) {
    const auto* g = std::get_if<auth_grant>(&r);
    if (!g) return;
    FUZZ_CHECK(g->valid_until_ms >= now_ms, "granted a token that has expired");
    FUZZ_CHECK(g->subject.size() <= 64 && is_valid_utf8(g->subject), "subject unbounded or not UTF-8");
}

// Whether some object in the JSON text names a member twice: a reference independent of
// core/json_duplicate_key (a set per object).
bool has_duplicate(const rapidjson::Value& v) {
    if (v.IsObject()) {
        std::set<std::string> names;
        for (auto m = v.MemberBegin(); m != v.MemberEnd(); ++m) {
            if (!names.emplace(m->name.GetString(), m->name.GetStringLength()).second) return true;
            if (has_duplicate(m->value)) return true;
        }
    } else if (v.IsArray()) {
        for (const auto& e : v.GetArray()) {
            if (has_duplicate(e)) return true;
        }
    }
    return false;
}

bool parses_with_duplicate(std::string_view json) {
    if (json.size() > 2000) return false;  // deep nesting is refused before parsing anyway
    rapidjson::Document doc;
    doc.Parse<rapidjson::kParseValidateEncodingFlag | rapidjson::kParseIterativeFlag>(json.data(), json.size());
    return !doc.HasParseError() && doc.IsObject() && has_duplicate(doc);
}

void check_signed(std::string_view rest) {
    const std::size_t nl = rest.find('\n');
    if (nl == std::string_view::npos) return;
    const std::string_view header = rest.substr(0, nl), claims = rest.substr(nl + 1);
    const std::string signed_text = base64url_encode(header) + "." + base64url_encode(claims);
    const auto mac = hmac_sha256(secret, signed_text);
    FUZZ_CHECK(mac.has_value(), "HMAC failed");
    const std::string token = signed_text + "." +
                              base64url_encode(std::string_view(reinterpret_cast<const char*>(mac->data()), mac->size()));
    FUZZ_CHECK(looks_like_jwt(token), "a token built from three base64url parts does not look like a JWT");
    const auth_result r = verify_jwt_hs256(token, secrets, now_ms);
    check_grant(r);
    if (token.size() > max_token_bytes) {
        FUZZ_CHECK(is_failure(r, auth_failure::malformed), "an oversize token not refused as malformed");
        return;
    }
    FUZZ_CHECK(!is_failure(r, auth_failure::bad_signature), "a correctly signed token refused for its signature");
    if (parses_with_duplicate(header)) {
        FUZZ_CHECK(is_failure(r, auth_failure::malformed), "header with a duplicate member not malformed");
    }
    if (std::holds_alternative<auth_grant>(r)) {
        FUZZ_CHECK(!parses_with_duplicate(claims), "claims with a duplicate member granted");
    }
}

void check_token(std::string_view token) {
    check_grant(verify_jwt_hs256(token, secrets, now_ms));
    token_set set;
    set.jwt_secrets = secrets;
    const token_verifier verifier(std::move(set));
    check_grant(verifier.verify(token, now_ms));
}

bool is_token_word(std::string_view w) {
    for (char c : w) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                        c == '_' || c == '~' || c == '-';
        if (!ok) return false;
    }
    return w.size() >= 16;
}

std::vector<std::vector<std::string_view>> lines_of_words(std::string_view text) {
    std::vector<std::vector<std::string_view>> lines;
    while (!text.empty()) {
        const std::size_t nl = text.find('\n');
        std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        std::vector<std::string_view> words;
        std::size_t i = 0;
        while (i < line.size()) {
            while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
            const std::size_t start = i;
            while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
            if (i > start) words.push_back(line.substr(start, i - start));
        }
        lines.push_back(std::move(words));
    }
    return lines;
}

void check_token_file(std::string_view text) {
    auto parsed = parse_token_file(text);
    const auto lines = lines_of_words(text);
    if (const auto* reason = std::get_if<std::string>(&parsed)) {
        FUZZ_CHECK(!reason->empty() && reason->find('\n') == std::string::npos, "not a one-line reason");
        for (const auto& words : lines) {
            for (std::string_view w : words) {
                if (is_token_word(w)) FUZZ_CHECK(reason->find(w) == std::string::npos, "reason quotes the file: " + *reason);
            }
        }
        return;
    }
    token_set set = std::move(std::get<token_set>(parsed));
    FUZZ_CHECK(!set.tokens.empty() || !set.jwt_secrets.empty(), "an empty file loaded");
    for (const auto& s : set.jwt_secrets) FUZZ_CHECK(s.size() >= min_jwt_secret_bytes, "a short jwt-secret loaded");
    const token_verifier verifier(std::move(set));
    for (const auto& words : lines) {
        if (words.empty() || words[0][0] == '#' || words[0] == "jwt-secret") continue;
        const std::string_view token = words[0] == "token" ? words[1] : words[0];
        FUZZ_CHECK(std::holds_alternative<auth_grant>(verifier.verify(token, now_ms)), "a listed token is refused");
    }
}

void check_base64url(std::string_view bytes) {
    const std::string text = base64url_encode(bytes);
    FUZZ_CHECK(base64url_decode(text) == std::string(bytes), "decode(encode(b)) != b");
    FUZZ_CHECK(text.size() == (bytes.size() * 4 + 2) / 3, "encoded length is not ceil(4n/3)");
    if (const auto decoded = base64url_decode(bytes)) {
        FUZZ_CHECK(base64url_encode(*decoded) == bytes, "two spellings of one byte string decode");
    }
}

}  // namespace
}  // namespace sb::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace sb::fuzz;
    if (size == 0) return 0;
    const std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
    switch (data[0]) {
        case 'T': check_token(rest); break;
        case 'S': check_signed(rest); break;
        case 'F': check_token_file(rest); break;
        default: check_base64url(rest); break;
    }
    return 0;
}
