#include "persist/history_reader.hpp"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <exception>
#include <utility>

#include "core/log.hpp"
#include "persist/store_error.hpp"

namespace sb {
namespace {

constexpr int busy_timeout_ms = 5000;
// Below the network thread: a long export yields to live readings on a busy core.
constexpr int reader_nice = 5;

}  // namespace

history_reader::history_reader(const std::string& path, std::size_t max_queued) : max_queued_(max_queued) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr);
    db_.reset(raw);
    if (rc != SQLITE_OK) {
        throw store_error("cannot open database '" + path + "' for reading history: " +
                          (raw ? sqlite3_errmsg(raw) : "out of memory"));
    }
    sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
    sqlite3_exec(db_.get(), "PRAGMA cache_size = -8192", nullptr, nullptr, nullptr);  // 8 MiB
    reader_ = std::make_unique<tier_reader>(db_.get());
    thread_ = std::thread([this] { run(); });
}

history_reader::~history_reader() { stop(); }

bool history_reader::submit(job j) {
    {
        std::lock_guard<std::mutex> lk(mu_);
        if (stopping_ || jobs_.size() >= max_queued_) return false;
        jobs_.push_back(std::move(j));
    }
    cv_.notify_one();
    return true;
}

void history_reader::stop() {
    {
        std::lock_guard<std::mutex> lk(mu_);
        if (stopping_ && !thread_.joinable()) return;
        stopping_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void history_reader::run() noexcept {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), reader_nice);  // best effort
    for (;;) {
        job j;
        {
            std::unique_lock<std::mutex> lk(mu_);
            cv_.wait(lk, [&] { return stopping_ || !jobs_.empty(); });
            if (jobs_.empty()) return;
            j = std::move(jobs_.front());
            jobs_.pop_front();
        }
        try {
            j(*reader_);
        } catch (const std::exception& e) {
            SB_LOG(error, "store", "history query failed", "error=" + log_quote(e.what(), 120));
        } catch (...) {
            SB_LOG(error, "store", "history query failed", "error=unknown");
        }
    }
}

}  // namespace sb
