#include "reading_tally.hpp"

#include "tool_support.hpp"

namespace sb::bench {

void reading_tally::merge(const reading_tally& other) noexcept {
    latency.merge(other.latency);
    readings += other.readings;
    stale += other.stale;
    frames += other.frames;
    errors += other.errors;
    if (other.first_recv_us != 0 && (first_recv_us == 0 || other.first_recv_us < first_recv_us)) {
        first_recv_us = other.first_recv_us;
    }
    if (other.last_recv_us > last_recv_us) last_recv_us = other.last_recv_us;
}

double reading_tally::seconds() const noexcept {
    return static_cast<double>(last_recv_us - first_recv_us) / 1e6;
}

std::string reading_tally::json_members() const {
    const double s = seconds();
    json_line j;
    j.add("readings", readings).add("stale", stale).add("frames", frames).add("errors", errors);
    j.add("seconds", s).add("rate", s > 0 ? static_cast<double>(readings) / s : 0.0);
    std::string members = j.str();
    members = members.substr(1, members.size() - 2);  // without the braces
    return members + "," + latency.json_members();
}

}  // namespace sb::bench
