#pragma once
// --ping-interval (seconds, the documented option, as issue 5 names it) and --heartbeat-ms
// (milliseconds, its earlier name, kept so existing configurations keep working) set one
// value: options::heartbeat_ms, which the WebSocket endpoint uses. Pure.
#include <optional>
#include <string>

#include "config/options.hpp"

namespace sb {

// Given which of the two were set (command line, config file or environment), makes
// ping_interval and heartbeat_ms agree; a one-line reason when both were set.
std::optional<std::string> settle_ping_interval(bool ping_interval_given, bool heartbeat_ms_given, options& o);

}  // namespace sb
