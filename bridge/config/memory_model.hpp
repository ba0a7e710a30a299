#pragma once
// The bridge's worst-case memory from its options (docs/OPERATIONS.md, "Memory"), and the check
// at start that refuses options whose worst case is over --max-memory (exit 2). The per-item
// figures are measured (docs/PERFORMANCE.md, "Memory"): they are upper bounds of what the heap
// holds per sensor, point, connection and byte queued, so the sum bounds the resident size
// apart from the allocator's own slack. Pure.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/options.hpp"

namespace sb {

struct memory_term {
    const char* what;     // "sensors", "clients", ...
    std::string formula;  // how it follows from the options, with their values
    std::uint64_t bytes = 0;
};

struct memory_estimate {
    std::vector<memory_term> terms;
    std::uint64_t total = 0;
};

// Measured figures the estimate uses.
namespace memory_figures {
inline constexpr std::uint64_t base = 16ull << 20;             // code, libraries, threads, idle heap
inline constexpr std::uint64_t sqlite_caches = 40ull << 20;    // writer 32 MiB + history reader 8 MiB
inline constexpr std::uint64_t store_backlog = 10ull << 20;    // history points waiting for the writer (200 000)
inline constexpr std::uint64_t rest_answers = 8ull << 20;      // history/series answers in flight (16 queued)
inline constexpr std::uint64_t sensor_record = 4096;           // 128-byte id, topic, text value, unit; discovery names
inline constexpr std::uint64_t sensor_store_state = 512;       // its waiting row, its open aggregates
inline constexpr std::uint64_t history_point = 40;             // state/history_ring.hpp
inline constexpr std::uint64_t connection = 10ull << 10;       // an open, subscribed WebSocket (measured ~9.4 KiB)
inline constexpr std::uint64_t connection_floor = 16ull << 10; // owed per client before the budget counts it
}  // namespace memory_figures

memory_estimate worst_case_memory(const options& o);

// The one line to print when the worst case is over --max-memory (nullopt: it fits, or the
// check is off with --max-memory 0).
std::optional<std::string> memory_problem(const options& o);

// "1.2 GiB", "512 MiB", "64 KiB".
std::string human_bytes(std::uint64_t bytes);

}  // namespace sb
