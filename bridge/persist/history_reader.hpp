#pragma once
// Series queries against the time-tiered history, off the network thread: its own SQLite
// connection (WAL lets it read while the writer commits) and its own thread running queued
// jobs one at a time. The queue is bounded: past max_queued a submit is refused and the caller
// answers 503, so a burst of exports cannot pile up memory or delay the live path.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "persist/sqlite_handles.hpp"
#include "persist/tier_reader.hpp"

namespace sb {

class history_reader {
public:
    using job = std::function<void(tier_reader&)>;

    // Opens the file the store created (schema in place). Throws store_error.
    history_reader(const std::string& path, std::size_t max_queued);
    ~history_reader();  // stop()
    history_reader(const history_reader&) = delete;
    history_reader& operator=(const history_reader&) = delete;

    // Thread-safe. Runs j on the reader's thread (its exceptions are caught and logged); false,
    // and j dropped, when max_queued jobs wait or the reader stopped.
    bool submit(job j);
    // Runs what is queued, then joins. Idempotent.
    void stop();

private:
    void run() noexcept;

    db_ptr db_;
    std::unique_ptr<tier_reader> reader_;
    std::size_t max_queued_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<job> jobs_;
    bool stopping_ = false;
    std::thread thread_;
};

}  // namespace sb
