// Inputs found by the fuzz targets (tests/fuzz), kept as unit tests so they run in every build.
// They fail until the bridge code is fixed.
//
// Lone low surrogates: RapidJSON 1.1 rejects a \uD800-\uDBFF escape without its pair but
// decodes a lone \uDC00-\uDFFF escape into the bytes ED B0..BF xx, which are not UTF-8.
// kParseValidateEncodingFlag checks only the raw input, so such a string passes the parser and
// reaches the wire. docs/CONVENTIONS.md rejects strings that are not UTF-8; a browser fails the whole
// WebSocket connection on a text frame that is not UTF-8 (RFC 6455 §8.1), and reading frames are
// prepared without websocketpp's UTF-8 check, so one such MQTT message would disconnect every
// dashboard subscribed to the sensor, again on each snapshot after reconnecting.
#include <string>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "hub/room.hpp"
#include "normalize/normalizer.hpp"
#include "schema_fixtures.hpp"
#include "wire/client_message.hpp"
#include "wire/reading_json.hpp"
#include "wire/server_messages.hpp"

namespace sb::test {
namespace {

constexpr const char* server_schema = "ws-server-message.schema.json";

struct payload_case {
    std::string name;
    std::string payload;
};

void PrintTo(const payload_case& c, std::ostream* os) { *os << c.name; }

const std::vector<payload_case> surrogate_payloads{
    {"canonical_value", R"({"value":"\udc00"})"},
    {"canonical_value_after_text", R"({"value":"ok\udfff"})"},
    {"canonical_unit", R"({"value":1,"unit":"\udc00"})"},
    {"bare_string", R"("\udc00")"},
    {"multi_metric_value", R"({"state":"\udc00"})"},
    {"senml_vs", R"([{"n":"x","vs":"\udc00"}])"},
    {"senml_unit", R"([{"n":"x","u":"\udc00","v":1}])"},
};

class surrogate_payload_test : public ::testing::TestWithParam<payload_case> {};

// Either rejected (bad_string, as docs/CONVENTIONS.md says) or sent as valid UTF-8.
TEST_P(surrogate_payload_test, never_reaches_the_wire_as_invalid_utf8) {
    const normalize_result result = normalizer().normalize(
        {"sensors/x", "x", GetParam().payload, sample_received_at});
    for (reading r : result.readings) {
        r.seq = 1;
        EXPECT_TRUE(conforms(server_schema, reading_message_json(r)));
    }
}

INSTANTIATE_TEST_SUITE_P(fuzz_regression, surrogate_payload_test,
                         ::testing::ValuesIn(surrogate_payloads), case_name<payload_case>);

// Zero with a large exponent: with kParseFullPrecisionFlag (the normalizer's parse flags)
// RapidJSON 1.1 turns 0 with an exponent of 38 to 313 into garbage, e.g. 0e38 -> -1.9e227 with
// gcc -O2 (StrtodDiyFp normalizes a zero significand: clz(0) in diyfp.h:107, an over-wide shift
// in strtod.h:178; UBSan reports both). Every such payload is valid JSON for 0.
const std::vector<payload_case> zero_exponent_payloads{
    {"bare", "0e38"},
    {"bare_negative", "-0e300"},
    {"bare_fraction", "0.0e39"},
    {"canonical", R"({"value":0e97})"},
    {"multi_metric", R"({"a":0E+50})"},
    {"senml", R"([{"n":"x","v":0e100}])"},
};

class zero_exponent_test : public ::testing::TestWithParam<payload_case> {};

TEST_P(zero_exponent_test, is_zero) {
    const normalize_result result = normalizer().normalize(
        {"sensors/x", "x", GetParam().payload, sample_received_at});
    ASSERT_TRUE(result.ok()) << result.detail;
    ASSERT_EQ(result.readings.size(), 1u);
    const double* value = std::get_if<double>(&result.readings[0].value);
    ASSERT_NE(value, nullptr);
    EXPECT_EQ(*value, 0.0);
}

INSTANTIATE_TEST_SUITE_P(fuzz_regression, zero_exponent_test,
                         ::testing::ValuesIn(zero_exponent_payloads), case_name<payload_case>);

// The endpoint echoes the correlation id in its reply.
TEST(fuzz_regression_client_test, lone_surrogate_id_is_not_echoed_as_invalid_utf8) {
    for (const char* text : {R"({"type":"ping","id":"\udc00"})",
                             R"({"type":"shout","id":"\udfff"})",
                             R"({"type":"subscribe","id":"\udc00","payload":{"room":"sensor:a"}})"}) {
        const auto parsed = parse_client_message(text);
        std::string reply;
        if (const auto* err = std::get_if<client_message_error>(&parsed)) {
            reply = error_json(err->code, err->message, err->id);
        } else if (const auto& m = std::get<client_message>(parsed); m.type == client_message_type::ping) {
            reply = pong_json(m.id);
        } else {
            reply = room_ack_json("subscribed", m.id, m.room);
        }
        EXPECT_TRUE(conforms(server_schema, reply)) << "input: " << text;
    }
}

}  // namespace
}  // namespace sb::test
