#include "http/query_string.hpp"

#include "http/url_decode.hpp"

namespace sb {

target_parts split_target(std::string_view target) noexcept {
    const std::size_t hash = target.find('#');
    if (hash != std::string_view::npos) target = target.substr(0, hash);
    const std::size_t question = target.find('?');
    if (question == std::string_view::npos) return {target, {}};
    return {target.substr(0, question), target.substr(question + 1)};
}

query_value find_query_param(std::string_view query, std::string_view name) {
    while (!query.empty()) {
        const std::size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);

        const std::size_t eq = pair.find('=');
        const std::string_view raw_key = pair.substr(0, eq);
        const std::string_view raw_value =
            eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
        // A key that does not decode cannot be the one asked for.
        const auto key = percent_decode(raw_key, plus_handling::as_space);
        if (!key || *key != name) continue;

        auto value = percent_decode(raw_value, plus_handling::as_space);
        if (!value) return {query_status::malformed, {}};
        return {query_status::present, std::move(*value)};
    }
    return {};
}

}  // namespace sb
