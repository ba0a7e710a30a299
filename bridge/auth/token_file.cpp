#include "auth/token_file.hpp"

#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <stdexcept>

namespace sb {
namespace {

bool is_token_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '~' || c == '-';
}

bool is_space(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }

std::vector<std::string_view> split_words(std::string_view line) {
    std::vector<std::string_view> words;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && is_space(line[i])) ++i;
        const std::size_t start = i;
        while (i < line.size() && !is_space(line[i])) ++i;
        if (i > start) words.push_back(line.substr(start, i - start));
    }
    return words;
}

std::optional<std::string> check_token(std::string_view t) {
    if (t.size() < min_static_token_bytes) {
        return "token shorter than " + std::to_string(min_static_token_bytes) + " characters";
    }
    if (t.size() > max_static_token_bytes) {
        return "token longer than " + std::to_string(max_static_token_bytes) + " characters";
    }
    for (char c : t) {
        if (!is_token_char(c)) return std::string("token characters must be A-Z a-z 0-9 . _ ~ -");
    }
    return std::nullopt;
}

// "rooms=sensor:a,sensor:b*" -> the scope, or a reason.
std::variant<room_scope, std::string> parse_rooms(std::string_view word) {
    constexpr std::string_view key = "rooms=";
    if (word.substr(0, key.size()) != key) return std::string("expected rooms=<room>[,<room>...]");
    std::vector<std::string> patterns;
    std::string_view rest = word.substr(key.size());
    while (true) {
        const auto comma = rest.find(',');
        patterns.emplace_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
    }
    auto scope = room_scope::parse(patterns);
    if (!scope) return std::string("rooms=: each room is sensor:<id>, sensor:* or sensor:<prefix>*");
    return std::move(*scope);
}

// One entry into set, or a reason.
std::optional<std::string> parse_line(const std::vector<std::string_view>& words, std::size_t line, token_set& set) {
    const std::string_view kind = words[0];
    if (kind == "jwt-secret") {
        if (words.size() != 2) return std::string("jwt-secret takes one value without spaces");
        if (words[1].size() < min_jwt_secret_bytes) {
            return "jwt-secret shorter than " + std::to_string(min_jwt_secret_bytes) + " bytes";
        }
        set.jwt_secrets.emplace_back(words[1]);
        return std::nullopt;
    }
    static_token st;
    st.line = line;
    std::string_view value;
    if (kind == "token") {
        constexpr std::string_view usage = "expected: token <token> [rooms=<room>,...] [scope=admin]";
        if (words.size() < 2 || words.size() > 4) return std::string(usage);
        value = words[1];
        bool rooms_seen = false;
        for (std::size_t i = 2; i < words.size(); ++i) {
            if (words[i] == "scope=admin") {
                if (st.admin) return std::string("duplicate scope=admin");
                st.admin = true;
                continue;
            }
            if (words[i].substr(0, 6) == "scope=") return std::string("scope=: the only scope is admin");
            if (rooms_seen && words[i].substr(0, 6) == "rooms=") return std::string("duplicate rooms=");
            if (rooms_seen) return std::string(usage);
            auto scope = parse_rooms(words[i]);
            if (auto* reason = std::get_if<std::string>(&scope)) return *reason;
            st.scope = std::move(std::get<room_scope>(scope));
            rooms_seen = true;
        }
    } else {
        if (words.size() != 1) return std::string("expected a token alone, 'token <token> [rooms=...]' or 'jwt-secret <secret>'");
        value = kind;
    }
    if (auto bad = check_token(value)) return bad;
    auto digest = sha256(value);
    if (!digest) return std::string("SHA-256 failed");
    st.digest = *digest;
    set.tokens.push_back(std::move(st));
    return std::nullopt;
}

// One entry per token and per secret: the same token twice (with other rooms or scope) or the
// same secret twice is refused rather than one of them silently winning. Only digests are kept.
class duplicate_guard {
public:
    // The entry parse_line just added to set, checked against the earlier ones.
    std::optional<std::string> check(const token_set& set, std::size_t line) {
        if (set.tokens.size() > tokens_seen_) {
            tokens_seen_ = set.tokens.size();
            const auto [it, fresh] = lines_.emplace(set.tokens.back().digest, line);
            if (!fresh) return "duplicate token: the same token as line " + std::to_string(it->second);
        } else if (set.jwt_secrets.size() > secrets_seen_) {
            secrets_seen_ = set.jwt_secrets.size();
            const auto digest = sha256("jwt-secret " + set.jwt_secrets.back());
            if (!digest) return std::string("SHA-256 failed");
            const auto [it, fresh] = lines_.emplace(*digest, line);
            if (!fresh) return "duplicate jwt-secret: the same secret as line " + std::to_string(it->second);
        }
        return std::nullopt;
    }

private:
    std::map<sha256_digest, std::size_t> lines_;
    std::size_t tokens_seen_ = 0;
    std::size_t secrets_seen_ = 0;
};

}  // namespace

std::variant<token_set, std::string> parse_token_file(std::string_view text) {
    if (text.size() > max_token_file_bytes) return std::string("larger than 1 MiB");
    token_set set;
    duplicate_guard seen;
    std::size_t line_no = 0;
    while (!text.empty()) {
        ++line_no;
        const auto nl = text.find('\n');
        const std::string_view line = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        const auto words = split_words(line);
        if (words.empty() || words[0][0] == '#') continue;
        if (auto bad = parse_line(words, line_no, set)) return "line " + std::to_string(line_no) + ": " + *bad;
        if (auto bad = seen.check(set, line_no)) return "line " + std::to_string(line_no) + ": " + *bad;
    }
    if (set.tokens.empty() && set.jwt_secrets.empty()) return std::string("no token and no jwt-secret");
    return set;
}

token_set load_token_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read --token-file '" + path + "'");
    std::string text;
    text.resize(max_token_file_bytes + 1);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    auto parsed = parse_token_file(text);
    if (auto* reason = std::get_if<std::string>(&parsed)) {
        throw std::runtime_error("--token-file '" + path + "': " + *reason);
    }
    return std::move(std::get<token_set>(parsed));
}

}  // namespace sb
