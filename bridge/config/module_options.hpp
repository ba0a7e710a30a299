#pragma once
// The options, translated into what each module takes. Start-up only: these throw
// std::runtime_error with a one-line reason (caught in main).
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "auth/token_verifier.hpp"
#include "config/options.hpp"
#include "http/ws_listener_options.hpp"
#include "ingest/mqtt_source.hpp"
#include "ingest/topic_filter.hpp"
#include "normalize/normalize_options.hpp"
#include "persist/store_options.hpp"
#include "state/status_tracker.hpp"

namespace sb {

std::vector<topic_filter> topic_filters_from(const options& o);
normalize_options normalize_options_from(const options& o);
status_options status_options_from(const options& o);
store_options store_options_from(const options& o);
// --web-root, else the page the binary was built or installed with.
std::filesystem::path web_root_from(const options& o);
// verifier: the token file's (null without --token-file); instance: the store's
// (sqlite_store::instance). Loads the TLS certificate.
ws_listener_options listener_options_from(const options& o, const token_verifier* verifier, std::string instance);
// Reads --mqtt-password-file (never logged); a random client id when none is set.
mqtt_source_options mqtt_options_from(const options& o);
// The token file, or null without --token-file. Only counts are logged, never an entry.
std::unique_ptr<token_verifier> load_verifier(const options& o);
// Whether --bind is a loopback address (else the bridge warns when there is no token file).
bool is_loopback(const std::string& bind);

}  // namespace sb
