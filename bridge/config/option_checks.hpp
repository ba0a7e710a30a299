#pragma once
// Checks across options that CLI11's per-option validators cannot make. Pure: each check returns the one line to print before exit 2,
// or nothing.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "config/options.hpp"
#include "ingest/broker_url.hpp"  // mask_url_password

namespace sb {

// "30d", "12h", "90m", "45s", "500ms" -> milliseconds; "0" or "never" -> 0; nullopt otherwise.
std::optional<std::int64_t> parse_duration_ms(std::string_view text);
// A size in bytes: digits, optionally with K, M, G or T (powers of 1024; KiB, MiB, GiB, TiB
// are the same). nullopt past 2^50 or when it is none of these.
std::optional<std::uint64_t> parse_size_bytes(std::string_view text);

// A --dead-letter-topic that one of the --topic filters matches.
std::optional<std::string> dead_letter_loop(const options& o);

// --mqtt-url given more than max_broker_urls times, or naming plain and TLS brokers together.
std::optional<std::string> broker_list_problem(const options& o);

// TLS options that cannot work together (their files' content is checked apart).
std::optional<std::string> tls_conflict(const options& o);

// A TLS file that does not load, or a key that does not belong to its certificate.
std::optional<std::string> tls_files_problem(const options& o);

}  // namespace sb
