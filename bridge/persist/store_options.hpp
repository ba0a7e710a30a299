#pragma once
// How the SQLite store is opened and bounded (docs/CONFIGURATION.md names the options behind it).
#include <chrono>
#include <cstddef>
#include <string>

namespace sb {

struct store_options {
    std::string path = "bridge.db";
    std::size_t batch_max = 10000;                         // latest rows per transaction at most
    std::chrono::milliseconds flush_interval{500};         // longest a put waits for a commit
    std::size_t max_pending = 100000;                      // distinct sensors waiting to be written
    std::size_t history_depth = 512;                       // history rows kept per sensor; 0: none
    std::size_t history_batch_max = 100000;                // history points per transaction at most
    std::size_t max_pending_history = 200000;              // history points waiting, all sensors
};

}  // namespace sb
