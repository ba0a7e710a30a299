#pragma once
// A flat or nested multi-metric object without sensorId/value (docs/CONVENTIONS.md):
// {"temperature":21.5,"humidity":40} on device "porch" -> porch.temperature, porch.humidity.
// Zigbee2MQTT device messages and Tasmota SENSOR/STATE messages are this shape.
#include <rapidjson/document.h>

#include "normalize/fields.hpp"

namespace sb::detail {

// Nested object keys join with '.'; null and array members are skipped. Without a topic id
// the key path alone is the id. Members that describe the message are not metrics:
//   - timestamp keys (fields.hpp) at any depth; the top-level one times every reading,
//   - unit declarations ("TempUnit":"C", unit_hints.hpp), which set sibling units instead.
// One bad metric (id, string, non-finite) rejects the whole message, so a rejection is
// always counted rather than half a message silently dropped. No metric at all -> no_value.
check read_multi_metric(const rapidjson::Value& object, reading_sink& sink);

}  // namespace sb::detail
