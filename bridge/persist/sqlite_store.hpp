#pragma once
// SQLite persistence of the latest value per sensor and of each sensor's recent history. The
// writer runs on its own thread with its own connection; put() never blocks on disk. WAL,
// synchronous=NORMAL, prepared statements, many rows per BEGIN IMMEDIATE transaction.
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/reading.hpp"
#include "core/stats.hpp"
#include "persist/pending_hint.hpp"
#include "persist/reading_sink.hpp"
#include "persist/store_error.hpp"
#include "persist/store_options.hpp"
#include "wire/reading_json.hpp"

namespace sb {

class sqlite_store final : public reading_sink {
public:
    // Opens or creates the database and its schema. A corrupt file is moved aside first and a
    // fresh one created (db_recovery.hpp). Throws store_error (start-up only).
    explicit sqlite_store(store_options opts);
    ~sqlite_store();  // stop() if still running
    sqlite_store(const sqlite_store&) = delete;
    sqlite_store& operator=(const sqlite_store&) = delete;

    // Every sensor's latest reading, ordered by id. Call before start().
    std::vector<reading> load_latest();
    // Every history row (at most history_depth per sensor), by sensor id then seq, with an
    // empty topic; those the time-tiered history lacks (after a crash, or from before it
    // existed) are queued for it. Call before start(). Throws store_error.
    void load_history(const std::function<void(reading&)>& on_row);

    void start();   // starts the writer thread
    // Thread-safe, never blocks on disk. The reading becomes its sensor's pending latest
    // (latest wins) and, with history on, a point in its sensor's pending history chunk (over
    // the bounds the sensor's oldest waiting points go, counted in history_dropped). Returns
    // false only when the latest row could not be queued: max_pending distinct sensors wait,
    // or the store is stopped.
    bool put(reading r);
    // The same, the history point copied from the reading's message text (reading_sink).
    bool put(reading r, std::string_view message, const reading_json_fields& fields, pending_hint* hint) override;
    // Thread-safe, never blocks: the sensor's waiting rows are dropped and its stored rows
    // deleted by the writer's next transaction, before anything put after this.
    void forget(std::string_view sensor_id) override;
    void stop();    // commits what is pending, then joins the writer. Idempotent.

    store_stats stats() const;   // thread-safe; sensors = rows in the table
    bool healthy() const;        // false after a failed commit until the next good one
    // True when a corrupt file was moved aside at start, until the first commit into the fresh
    // one: the cache is being refilled from live readings.
    bool recovering() const;
    const std::string& moved_aside() const;  // where the corrupt file went; empty: nowhere
    // Whether the previous run stopped cleanly (everything it handed out was committed).
    // False after a crash or kill: seq numbers of uncommitted readings may have been sent.
    bool previous_shutdown_clean() const;
    // The database's instance id (store_instance.hpp): the same for as long as this file lives,
    // a new one for a new or replaced file. Fixed once constructed; any thread.
    const std::string& instance() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

}  // namespace sb
