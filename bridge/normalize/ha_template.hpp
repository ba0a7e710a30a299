#pragma once
// Home Assistant value templates (docs/CONVENTIONS.md "Home Assistant discovery"): the few
// Jinja forms devices publish in discovery configs, compiled once and rendered per message
// the way Home Assistant would. Pure: no I/O, no clock, no globals.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace sb {

// A value_template in one of the forms devices publish, compiled once per config:
//   {{ value }}   {{ value_json }}   {{ value_json.x }}   {{ value_json['x'] }}   {{ value_json["x"] }}
//   {{ value_json.x.y }}   {{ value_json['x']['y'] }}   {{ value_json.x[0] }} (a list index)
// each optionally followed by filters: | float  | int  | round  | round(n)  (also float(default),
// int(default) with a number literal, as HA's own templates write them). Whitespace inside the
// braces is free; text outside them is not supported. Anything else (if/else, is_defined,
// arithmetic, other filters, two expressions) is refused by compile(), never guessed.
class ha_template {
public:
    // Undefined: the payload is not JSON, or has no such path (HA renders "" or fails).
    struct undefined {};
    using value = std::variant<undefined, double, bool, std::string>;

    static std::optional<ha_template> compile(std::string_view text, std::string& why);

    // The payload through the template. JSON numbers come out as double, booleans as bool,
    // strings as string; objects, arrays and null as undefined. {{ value }} is the payload text.
    // A failing filter (float of "abc" without a default) gives undefined. As in HA: strings
    // come out stripped of surrounding whitespace, round() rounds half to even (Python's
    // round: 2.5 -> 2), and a default never replaces a missing member (Jinja raises there).
    value render(std::string_view payload) const;

    // The JSON path as a sensor id's tail, the way the conventions join levels:
    // value_json.AM2301.Temperature -> "AM2301.Temperature", value_json.list[0] -> "list.0";
    // "" for {{ value }} and {{ value_json }}.
    std::string path_id() const {
        std::string id;
        for (const step& s : path_) {
            if (!id.empty()) id += '.';
            id += s.index >= 0 ? std::to_string(s.index) : s.key;
        }
        return id;
    }

private:
    enum class filter_kind { to_float, to_int, round };
    struct filter {
        filter_kind kind = filter_kind::to_float;
        int digits = 0;                 // round(n)
        std::optional<double> fallback;  // float(0) / int(0): the value when conversion fails
    };
    struct step {
        std::string key;   // object member
        int index = -1;    // list index when >= 0
    };
    // What the expression yields before the filters: a value, or (opaque) a JSON null, object
    // or array, which Jinja has but converts to nothing (float() of one takes the default).
    struct operand {
        value v;
        bool opaque = false;
    };
    struct compiler;  // the parser behind compile() (ha_template_compile.cpp)
    // round(n) beyond this is refused (nobody writes it); it bounds the text round writes.
    static constexpr int max_round_digits = 30;

    operand evaluate(std::string_view payload) const;
    static operand apply(const filter& f, const operand& in);
    // Python's float(str); nullopt where it raises (also reads float(default) literals).
    static std::optional<double> python_float(std::string_view text);

    bool json_ = false;   // value_json rather than value
    std::vector<step> path_;
    std::vector<filter> filters_;
};

// A rendered value as Home Assistant compares it with payload_on/payload_off and the
// availability payloads: bools as "True"/"False", integral numbers without a fraction ("1"),
// others in the shortest form that reads back the same; undefined as "".
std::string ha_text(const ha_template::value& v);

}  // namespace sb
