// Issue 4, bad input: every rejected payload is logged at warn with its reason, topic and a
// short excerpt (at most 48 bytes of the payload), at most 5 lines a second; the first line
// written after some were held back says how many (`suppressed=N`). Read off the bridge's log.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "core/utf8_excerpt.hpp"
#include "support/bridge_test.hpp"
#include "support/child_process.hpp"
#include "support/log_file.hpp"

namespace sb_it {
namespace {

constexpr std::size_t excerpt_bytes = 48;

// The bridge's rejection lines (or, with what = "readings refused", its partly refused
// messages' lines), in order.
std::vector<std::string> rejection_lines(const std::filesystem::path& log, const std::string& what = "payload rejected") {
    std::vector<std::string> lines;
    std::istringstream in(read_whole_file(log));
    for (std::string l; std::getline(in, l);) {
        if (l.find(" warn ingest " + what + " ") != std::string::npos) lines.push_back(l);
    }
    return lines;
}

// The value of ` key=` in a log line, unquoted and unescaped as core/log's log_quote wrote it
// (`\"`, `\\`, `\xNN`); nullopt when the line has no such field.
std::optional<std::string> field(const std::string& line, const std::string& key) {
    const auto at = line.find(" " + key + "=");
    if (at == std::string::npos) return std::nullopt;
    std::size_t i = at + key.size() + 2;
    if (i >= line.size() || line[i] != '"') return line.substr(i, line.find(' ', i) - i);
    std::string out;
    for (++i; i < line.size() && line[i] != '"'; ++i) {
        if (line[i] != '\\' || i + 1 >= line.size()) {
            out.push_back(line[i]);
        } else if (line[i + 1] == 'x' && i + 3 < line.size()) {
            out.push_back(static_cast<char>(std::stoi(line.substr(i + 2, 2), nullptr, 16)));
            i += 3;
        } else {
            out.push_back(line[++i]);
        }
    }
    return out;
}

std::optional<std::string> line_for_topic(const std::vector<std::string>& lines, const std::string& topic) {
    for (const auto& l : lines) {
        if (field(l, "topic") == topic) return l;
    }
    return std::nullopt;
}

using reject_log = bridge_test;

struct logged_case {
    const char* name;
    std::string topic;
    std::string payload;
    const char* reason;
};

TEST_F(reject_log, each_rejection_names_its_reason_topic_and_a_short_excerpt) {
    const std::vector<logged_case> cases{
        {"truncated JSON, quoted because of its quotes", "sensors/log-a", R"({"value":)", "invalid_json"},
        {"a long payload is cut to the excerpt", "sensors/log-b",
         R"({"sensorId":"log-b","value":1e999,"pad":")" + std::string(200, 'x') + "\"}", "non_finite"},
        {"a topic with a space is quoted", "sensors/log c*", "21.5", "bad_id"},
        {"control bytes are escaped", "sensors/log-d", std::string("{\"value\":\x01}"), "invalid_json"},
    };
    for (const auto& c : cases) publish(c.topic, c.payload);
    ASSERT_TRUE(wait_until([&] { return rejection_lines(bridge_->log_path()).size() >= cases.size(); }, 5000ms))
        << "rejections logged: " << rejection_lines(bridge_->log_path()).size() << "\n" << stats().text();
    const auto lines = rejection_lines(bridge_->log_path());
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto line = line_for_topic(lines, c.topic);
        ASSERT_TRUE(line) << "no rejection line with topic=" << c.topic;
        EXPECT_EQ(field(*line, "reason"), c.reason) << *line;
        const auto excerpt = field(*line, "excerpt");
        ASSERT_TRUE(excerpt) << *line;
        const bool cut = c.payload.size() > excerpt_bytes;
        EXPECT_EQ(*excerpt, cut ? c.payload.substr(0, excerpt_bytes) + "..." : c.payload) << *line;
        EXPECT_LE(excerpt->size(), excerpt_bytes + (cut ? 3 : 0)) << *line;
        EXPECT_EQ(line->find('\x01'), std::string::npos) << "a raw control byte in the log";
        EXPECT_EQ(line->find(" suppressed="), std::string::npos) << "nothing was held back: " << *line;
    }
}

// Issue 19, finding 4: a log line is valid UTF-8 whatever the payload holds. A byte that is
// not part of a UTF-8 character is written as \xNN, and an excerpt is cut between characters.
TEST_F(reject_log, lines_are_valid_utf8_with_invalid_bytes_escaped_and_cuts_between_characters) {
    const std::string invalid = std::string("{\"value\":\"\xff\xfe caf\xc3\xa9\"");     // invalid_json
    std::string accents = "{\"value\":\"x";                                            // 11 bytes
    while (accents.size() < 60) accents += "\xc3\xa9";                                  // é: byte 48 is inside one
    publish("sensors/utf8-a", invalid);
    publish("sensors/utf8-b", accents);
    ASSERT_TRUE(wait_until([&] { return rejection_lines(bridge_->log_path()).size() >= 2; }, 5000ms))
        << stats().text();
    const std::string log = read_whole_file(bridge_->log_path());
    EXPECT_TRUE(sb::is_valid_utf8(log)) << "the log holds bytes that are not UTF-8";
    const auto lines = rejection_lines(bridge_->log_path());
    const auto a = line_for_topic(lines, "sensors/utf8-a");
    ASSERT_TRUE(a);
    EXPECT_NE(a->find("\\xff\\xfe caf\xc3\xa9"), std::string::npos) << "escaped bytes, the é kept: " << *a;
    EXPECT_EQ(field(*a, "excerpt"), invalid) << *a;
    const auto b = line_for_topic(lines, "sensors/utf8-b");
    ASSERT_TRUE(b);
    const auto excerpt = field(*b, "excerpt");
    ASSERT_TRUE(excerpt);
    // 11 bytes then whole é pairs: the cut falls at 47, before the é that byte 48 starts.
    EXPECT_EQ(*excerpt, accents.substr(0, 47) + "...") << *b;
}

TEST_F(reject_log, a_burst_is_held_to_five_lines_and_a_later_line_counts_the_rest) {
    constexpr int burst = 20;
    int published = 0;
    auto publish_bad = [&] { publish("sensors/burst-" + std::to_string(published++), "{bad"); };
    while (published < burst) publish_bad();
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/rejected") == std::uint64_t(burst); }, 5000ms))
        << stats().text();
    const auto burst_lines = rejection_lines(bridge_->log_path());
    ASSERT_GE(burst_lines.size(), 5u) << "the first five of a burst are always written";
    EXPECT_LT(burst_lines.size(), std::size_t(burst)) << "every line of the burst was written: no limit";
    for (std::size_t i = 0; i < 5; ++i) EXPECT_FALSE(field(burst_lines[i], "suppressed")) << burst_lines[i];

    // One more rejection at a time, each processed before the next, until the latest one is
    // written and some line reports what was held back: then every rejection is either a line
    // or counted in a suppressed=N.
    auto done = [&] {
        const auto lines = rejection_lines(bridge_->log_path());
        bool reported = false;
        for (const auto& l : lines) reported |= field(l, "suppressed").has_value();
        return reported && line_for_topic(lines, "sensors/burst-" + std::to_string(published - 1));
    };
    ASSERT_TRUE(wait_until(
        [&] {
            if (done()) return true;
            publish_bad();
            return wait_until([&] { return stats().uint("/ingest/rejected") == std::uint64_t(published); }, 2000ms) &&
                   done();
        },
        6000ms, 200ms))
        << "no line with suppressed=N after the burst:\n" << tail_lines(bridge_->log_path(), 30);

    const auto lines = rejection_lines(bridge_->log_path());
    std::uint64_t held_back = 0;
    for (const auto& l : lines) {
        if (auto n = field(l, "suppressed")) {
            EXPECT_GE(std::stoull(*n), 1u) << l;
            held_back += std::stoull(*n);
        }
        EXPECT_EQ(field(l, "reason"), "invalid_json") << l;
        EXPECT_EQ(field(l, "excerpt"), "{bad") << l;
    }
    EXPECT_EQ(lines.size() + held_back, std::uint64_t(published))
        << lines.size() << " lines + " << held_back << " held back vs " << published << " rejected";
    EXPECT_EQ(stats().uint("/ingest/rejectedByReason/invalid_json"), std::uint64_t(published));
}

// Issue 19: the bridge's own bounds are rejections like the others. At --max-sensors a new
// sensor's message is logged, counted and dead-lettered as too_many_sensors; a message that
// only partly fits keeps its known sensors' readings and is reported the same way; one with
// more readings than --max-readings-per-message is rejected too_large.
class reject_bounds : public bridge_test {
protected:
    std::vector<std::string> bridge_args() const override {
        return {"--max-sensors", "2", "--max-readings-per-message", "4", "--dead-letter-topic", "bridge/dead-letter"};
    }
};

TEST_F(reject_bounds, bound_rejections_are_logged_counted_and_dead_lettered) {
    const auto out = dir_ / "dead-letter.out";
    child_process sub(spawn_options{{"/usr/bin/mosquitto_sub", "-h", "127.0.0.1", "-p",
                                     std::to_string(broker_->port()), "-t", "bridge/dead-letter", "-W", "30"},
                                    out, dir_ / "dead-letter.err", {}, {}});
    // mosquitto_sub gives no sign that it has subscribed: reject until one envelope arrives.
    ASSERT_TRUE(wait_until(
        [&] {
            publish("sensors/prime", "{bad");
            return wait_until([&] { return !read_whole_file(out).empty(); }, 250ms);
        },
        10000ms))
        << "nothing arrived on the dead-letter topic; stats: " << stats().text();

    publish("sensors/p", R"({"t":1})");
    publish("sensors/q", "1");
    ASSERT_TRUE(wait_for_seq("p.t", 1));
    ASSERT_TRUE(wait_for_seq("q", 1));
    publish("sensors/r", "2");                                      // new only: rejected
    publish("sensors/p", R"({"t":2,"h":3})");                        // p.t known, p.h new
    publish("sensors/q", R"({"a":1,"b":2,"c":3,"d":4,"e":5})");      // 5 > 4 readings
    ASSERT_TRUE(wait_for_seq("p.t", 2));
    ASSERT_TRUE(wait_until([&] { return stats().uint("/ingest/rejectedByReason/too_large") == 1u; }, 5000ms))
        << stats().text();

    const json_doc s = stats();
    EXPECT_EQ(s.uint("/ingest/rejectedByReason/too_many_sensors"), 1u) << s.text();
    EXPECT_EQ(s.uint("/ingest/partlyRefused"), 1u) << s.text();
    EXPECT_EQ(get("/api/sensors/r").status, 404);
    EXPECT_EQ(get("/api/sensors/p.h").status, 404);
    const std::string metrics = get("/metrics").body;
    EXPECT_NE(metrics.find("sensor_bridge_ingest_messages_partly_refused_total 1"), std::string::npos) << metrics;

    const auto rejected = rejection_lines(bridge_->log_path());
    const auto whole = line_for_topic(rejected, "sensors/r");
    ASSERT_TRUE(whole) << tail_lines(bridge_->log_path(), 20);
    EXPECT_EQ(field(*whole, "reason"), "too_many_sensors") << *whole;
    const auto too_large = line_for_topic(rejected, "sensors/q");
    ASSERT_TRUE(too_large) << tail_lines(bridge_->log_path(), 20);
    EXPECT_EQ(field(*too_large, "detail"), "more than 4 readings in one message") << *too_large;
    const auto part = line_for_topic(rejection_lines(bridge_->log_path(), "readings refused"), "sensors/p");
    ASSERT_TRUE(part) << tail_lines(bridge_->log_path(), 20);
    EXPECT_EQ(field(*part, "reason"), "too_many_sensors") << *part;
    EXPECT_EQ(field(*part, "detail"), "1 of 2 readings for new sensors past --max-sensors (2): p.h") << *part;

    // The envelopes, one a line, after the primers.
    std::map<std::string, std::string> reason_by_topic;
    std::map<std::string, std::string> detail_by_topic;
    ASSERT_TRUE(wait_until(
        [&] {
            std::istringstream in(read_whole_file(out));
            for (std::string l; std::getline(in, l);) {
                const json_doc e(l);
                reason_by_topic[e.str("/topic").value_or("")] = e.str("/reason").value_or("");
                detail_by_topic[e.str("/topic").value_or("")] = e.str("/detail").value_or("");
            }
            return reason_by_topic.size() >= 4;
        },
        5000ms))
        << read_whole_file(out);
    EXPECT_EQ(reason_by_topic["sensors/r"], "too_many_sensors");
    EXPECT_EQ(detail_by_topic["sensors/r"], "1 of 1 readings for new sensors past --max-sensors (2): r");
    EXPECT_EQ(reason_by_topic["sensors/p"], "too_many_sensors");
    EXPECT_EQ(reason_by_topic["sensors/q"], "too_large");
    sub.stop();
}

}  // namespace
}  // namespace sb_it
