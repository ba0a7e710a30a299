#include "config/memory_model.hpp"

#include <algorithm>
#include <cstdio>

#include "config/option_checks.hpp"

namespace sb {

namespace f = memory_figures;

std::string human_bytes(std::uint64_t bytes) {
    static const char* const units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double v = static_cast<double>(bytes);
    std::size_t u = 0;
    while (v >= 1024 && u + 1 < std::size(units)) {
        v /= 1024;
        ++u;
    }
    char buf[32];
    std::snprintf(buf, sizeof buf, v < 10 && u > 0 ? "%.1f %s" : "%.0f %s", v, units[u]);
    return buf;
}

memory_estimate worst_case_memory(const options& o) {
    memory_estimate e;
    const auto add = [&](const char* what, std::string formula, std::uint64_t bytes) {
        e.terms.push_back({what, std::move(formula), bytes});
        e.total += bytes;
    };
    const std::uint64_t per_sensor = f::sensor_record + f::sensor_store_state + o.history_depth * f::history_point +
                                     o.history_text_bytes;
    add("sensors",
        "--max-sensors " + std::to_string(o.max_sensors) + " x (" + human_bytes(f::sensor_record + f::sensor_store_state) +
            " + --history-depth " + std::to_string(o.history_depth) + " x 40 B + --history-text-bytes " +
            std::to_string(o.history_text_bytes) + ")",
        o.max_sensors * per_sensor);
    add("clients",
        "2 x --max-queued-bytes " + std::to_string(o.max_queued_bytes) + " + --max-connections " +
            std::to_string(o.max_connections) + " x " + human_bytes(f::connection + f::connection_floor),
        2 * o.max_queued_bytes + o.max_connections * (f::connection + f::connection_floor));
    add("discovery", "2 x --max-discovery-bytes " + std::to_string(o.max_discovery_bytes), 2 * o.max_discovery_bytes);
    add("ingest", "--max-ingest-bytes " + std::to_string(o.max_ingest_bytes), o.max_ingest_bytes);
    add("fixed", "code and idle heap, SQLite's caches, the store's backlog, REST answers",
        f::base + f::sqlite_caches + f::store_backlog + f::rest_answers);
    return e;
}

std::optional<std::string> memory_problem(const options& o) {
    const auto limit = parse_size_bytes(o.max_memory);
    if (!limit || *limit == 0) return std::nullopt;
    const memory_estimate e = worst_case_memory(o);
    if (e.total <= *limit) return std::nullopt;
    const auto biggest = std::max_element(e.terms.begin(), e.terms.end(),
                                          [](const memory_term& a, const memory_term& b) { return a.bytes < b.bytes; });
    return "the worst-case memory of these options, " + human_bytes(e.total) + ", is over --max-memory " + o.max_memory +
           "; most of it is " + biggest->what + ": " + biggest->formula + " = " + human_bytes(biggest->bytes) +
           " (lower those, or raise --max-memory and the service's MemoryMax; docs/OPERATIONS.md, Memory)";
}

}  // namespace sb
