// ha_template::compile: the parser of the one {{ expression }} a value_template may hold
// (ha_template.hpp). Rendering and HA's filter semantics are in ha_template.cpp.
#include "normalize/ha_template.hpp"

#include <charconv>
#include <cmath>
#include <cstddef>
#include <utility>

namespace sb {
namespace {

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_name_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool is_name_char(char c) noexcept { return is_name_start(c) || is_digit(c); }
bool is_space(char c) noexcept { return c == ' ' || (c >= '\t' && c <= '\r'); }

std::string_view trim(std::string_view s) noexcept {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

}  // namespace

// A recursive-descent reader of the one expression; why names what it met and where.
struct ha_template::compiler {
    std::string_view text;
    std::string& why;
    std::size_t pos = 0;
    std::size_t base = 0;  // where the trimmed text starts in the original, for offsets
    ha_template out;

    compiler(std::string_view text_in, std::string& why_in) : text(text_in), why(why_in) {}

    bool fail(std::string what) {
        why = std::move(what);
        return false;
    }

    bool unexpected() {
        skip_space();
        if (pos >= text.size()) return fail("unclosed {{: the template ends inside the expression");
        const std::size_t offset = base + pos;
        std::string_view token = name();
        if (token.empty()) token = text.substr(pos, 1);
        return fail("'" + std::string(token) + "' at offset " + std::to_string(offset) + " is not supported");
    }

    bool expression() {
        const std::string_view whole = text;
        text = trim(text);  // whitespace around the braces: HA strips what a template renders
        base = static_cast<std::size_t>(text.data() - whole.data());
        if (text.empty()) return fail("empty template");
        if (text.find("{%") != std::string_view::npos) return fail("statements ({% ... %}) are not supported");
        if (text.substr(0, 2) != "{{") return fail("text outside {{ }} is not supported");
        pos = 2;
        if (!source()) return false;
        while (at("|")) {
            if (!pipe()) return false;
        }
        if (!at("}}")) return unexpected();
        skip_space();
        if (pos == text.size()) return true;
        const bool another = text.find("{{", pos) != std::string_view::npos;
        return fail(another ? "only one {{ }} expression is supported" : "text outside {{ }} is not supported");
    }

    void skip_space() {
        while (pos < text.size() && is_space(text[pos])) ++pos;
    }

    bool at(std::string_view token) {
        skip_space();
        if (text.substr(pos, token.size()) != token) return false;
        pos += token.size();
        return true;
    }

    std::string_view name() {
        skip_space();
        const std::size_t start = pos;
        if (pos < text.size() && is_name_start(text[pos])) {
            while (pos < text.size() && is_name_char(text[pos])) ++pos;
        }
        return text.substr(start, pos - start);
    }

    bool source() {
        const std::size_t start = pos;
        const std::string_view root = name();
        if (root == "value") {
            return at(".") || at("[") ? fail("value is the payload text; its members are value_json's") : true;
        }
        if (root != "value_json") {
            pos = start;
            if (root.empty()) return unexpected();
            return fail("'" + std::string(root) + "' is not supported (only value and value_json)");
        }
        out.json_ = true;
        for (;;) {
            if (at(".")) {
                if (!attribute()) return false;
            } else if (at("[")) {
                if (!subscript()) return false;
            } else {
                return true;
            }
        }
    }

    // After '.': a name, or digits (Jinja reads value_json.list.0 as an index).
    bool attribute() {
        skip_space();
        if (pos < text.size() && is_digit(text[pos])) return index();
        const std::string key(name());
        if (key.empty()) return unexpected();
        // Jinja tries the attribute first: value_json.items is the dict's method, not the member.
        static const std::string dict_attributes = " clear copy fromkeys get items keys pop popitem setdefault update values ";
        if (key.rfind("__", 0) == 0 || dict_attributes.find(" " + key + " ") != std::string::npos) {
            return fail("value_json." + key + " is a Python attribute in Jinja, not the member: write ['" + key + "']");
        }
        out.path_.push_back({key, -1});
        return true;
    }

    // After '[': a quoted key or a non-negative index, then ']'.
    bool subscript() {
        skip_space();
        const char quote = pos < text.size() ? text[pos] : '\0';
        if (quote == '\'' || quote == '"') {
            const std::size_t close = text.find(quote, pos + 1);
            if (close == std::string_view::npos) return fail("unclosed string in a subscript");
            const std::string_view key = text.substr(pos + 1, close - pos - 1);
            if (key.find('\\') != std::string_view::npos) return fail("escapes in a key are not supported");
            out.path_.push_back({std::string(key), -1});
            pos = close + 1;
        } else if (!index()) {
            return false;
        }
        return at("]") || unexpected();
    }

    bool index() {
        int n = 0;
        if (!integer(n)) return false;
        out.path_.push_back({std::string(), n});
        return true;
    }

    // A decimal integer literal of at most 9 digits (so it fits an int).
    bool integer(int& n) {
        skip_space();
        const std::size_t start = pos;
        while (pos < text.size() && is_digit(text[pos])) ++pos;
        if (pos == start) return unexpected();
        if (pos - start > 9) return fail("number too large at offset " + std::to_string(base + start));
        std::from_chars(text.data() + start, text.data() + pos, n);
        return true;
    }

    // After '|': float, int or round, with their arguments.
    bool pipe() {
        const std::string_view kind = name();
        ha_template::filter f;
        if (kind == "float" || kind == "int" || kind == "round") {
            f.kind = kind == "float" ? filter_kind::to_float : kind == "int" ? filter_kind::to_int : filter_kind::round;
        } else {
            if (kind.empty()) return unexpected();
            return fail("filter '" + std::string(kind) + "' is not supported (only float, int and round)");
        }
        if (at("(") && !arguments(f)) return false;
        out.filters_.push_back(f);
        return true;
    }

    // round(n); float(default) and int(default), also written default=...; or none: "float()".
    bool arguments(ha_template::filter& f) {
        if (at(")")) return true;
        if (f.kind == filter_kind::round) {
            if (!integer(f.digits)) return false;
            if (f.digits > max_round_digits) return fail("round() to more than 30 digits is not supported");
        } else {
            const std::size_t start = pos;
            if (name() != "default" || !at("=")) pos = start;
            if (!fallback(f)) return false;
        }
        return at(")") || unexpected();
    }

    // A number literal (read with Python's float() grammar, a superset of Jinja's here).
    bool fallback(ha_template::filter& f) {
        skip_space();
        const std::size_t start = pos;
        while (pos < text.size() && std::string_view("+-0123456789._eE").find(text[pos]) != std::string_view::npos) ++pos;
        if (pos == start) return unexpected();
        const std::optional<double> number = python_float(text.substr(start, pos - start));
        if (!number || !std::isfinite(*number)) return fail("the default is not a number literal");
        f.fallback = number;
        return true;
    }
};

std::optional<ha_template> ha_template::compile(std::string_view text, std::string& why) {
    compiler c(text, why);
    if (!c.expression()) return std::nullopt;
    return std::move(c.out);
}

}  // namespace sb
