#include "support/prometheus_text.hpp"

#include <cstdlib>
#include <sstream>

#include "support/http_client.hpp"

namespace sb_it {

std::optional<double> sample_value(const std::string& metrics_text, const std::string& series) {
    std::istringstream in(metrics_text);
    for (std::string line; std::getline(in, line);) {
        if (line.size() <= series.size() || line.compare(0, series.size(), series) != 0) continue;
        if (line[series.size()] != ' ') continue;
        const std::string value = line.substr(series.size() + 1);
        char* end = nullptr;
        const double v = std::strtod(value.c_str(), &end);
        if (end == value.c_str()) return std::nullopt;
        return v;
    }
    return std::nullopt;
}

std::optional<double> scrape(std::uint16_t port, const std::string& series) {
    const http_response r = http_get(port, "/metrics");
    if (r.status != 200) return std::nullopt;
    return sample_value(r.body, series);
}

}  // namespace sb_it
