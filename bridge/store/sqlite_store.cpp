#include "store/sqlite_store.hpp"

#include "store/latest_table.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <utility>

namespace sb {
namespace {

constexpr int busy_timeout_ms = 5000;

struct db_closer {
    void operator()(sqlite3* db) const noexcept { sqlite3_close_v2(db); }
};
struct stmt_finalizer {
    void operator()(sqlite3_stmt* s) const noexcept { sqlite3_finalize(s); }
};
using db_ptr = std::unique_ptr<sqlite3, db_closer>;
using stmt_ptr = std::unique_ptr<sqlite3_stmt, stmt_finalizer>;

// Leaves a reused statement ready for the next use, whatever happened to this one; a reset
// statement also holds no read transaction open.
class stmt_scope {
public:
    explicit stmt_scope(sqlite3_stmt* s) noexcept : s_(s) {}
    ~stmt_scope() {
        sqlite3_reset(s_);
        sqlite3_clear_bindings(s_);
    }
    stmt_scope(const stmt_scope&) = delete;
    stmt_scope& operator=(const stmt_scope&) = delete;

private:
    sqlite3_stmt* s_;
};

}  // namespace

struct sqlite_store::impl {
    using pending_map = std::unordered_map<std::string, reading>;
    using clock = std::chrono::steady_clock;

    store_options opts_;
    db_ptr db_;  // declared before the statements: closed after they are finalized
    std::mutex db_mu_;  // the connection: writer passes vs. load_latest
    stmt_ptr upsert_, exists_, begin_, commit_, rollback_;

    std::mutex mu_;  // guards pending_, the two time points and stopping_
    std::condition_variable cv_;
    pending_map pending_;
    clock::time_point oldest_pending_{};  // when pending_ last became non-empty
    clock::time_point retry_at_{};        // no write before this after a failure
    bool stopping_ = false;

    std::mutex lifecycle_mu_;  // serializes start() and stop()
    std::thread writer_;

    std::atomic<std::uint64_t> sensors_{0}, commits_{0}, written_{0}, failed_{0};
    std::atomic<bool> healthy_{true};

    explicit impl(store_options opts) : opts_(std::move(opts)) {
        opts_.batch_max = std::max<std::size_t>(opts_.batch_max, 1);
    }

    [[noreturn]] void fail_open(const std::string& what) const {
        const char* msg = db_ ? sqlite3_errmsg(db_.get()) : "out of memory";
        throw store_error("cannot open database '" + opts_.path + "': " + what + ": " + msg);
    }

    void exec_or_throw(const char* sql, const char* what) {
        if (sqlite3_exec(db_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail_open(what);
    }

    stmt_ptr prepare_or_throw(const char* sql) {
        sqlite3_stmt* s = nullptr;
        if (sqlite3_prepare_v3(db_.get(), sql, -1, SQLITE_PREPARE_PERSISTENT, &s, nullptr) != SQLITE_OK)
            fail_open(std::string("preparing '") + sql + "'");
        return stmt_ptr(s);
    }

    // Runs a single-row query and returns its first column as an integer.
    std::int64_t query_int(const char* sql) {
        stmt_ptr s = prepare_or_throw(sql);
        if (sqlite3_step(s.get()) != SQLITE_ROW) fail_open(sql);
        return sqlite3_column_int64(s.get(), 0);
    }

    std::string query_text(const char* sql) {
        stmt_ptr s = prepare_or_throw(sql);
        if (sqlite3_step(s.get()) != SQLITE_ROW) fail_open(sql);
        return latest_table::column_text(s.get(), 0);
    }

    void open() {
        sqlite3* raw = nullptr;
        int rc = sqlite3_open_v2(opts_.path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
                                 nullptr);
        db_.reset(raw);
        if (rc != SQLITE_OK) fail_open("open");
        sqlite3_extended_result_codes(db_.get(), 1);
        sqlite3_busy_timeout(db_.get(), busy_timeout_ms);
        // The first read of the file: a file that is not a database fails here.
        std::string mode = query_text("PRAGMA journal_mode = WAL");
        if (mode != "wal" && mode != "memory") fail_open("journal mode is '" + mode + "', not WAL");
        exec_or_throw("PRAGMA synchronous = NORMAL", "setting synchronous");
        if (query_int("PRAGMA user_version") > latest_table::schema_version)
            fail_open("schema is newer than this version understands");
        exec_or_throw("BEGIN IMMEDIATE", "creating schema");
        exec_or_throw(latest_table::schema_sql, "creating schema");
        exec_or_throw("COMMIT", "creating schema");
        sensors_ = static_cast<std::uint64_t>(query_int("SELECT count(*) FROM latest"));
        upsert_ = prepare_or_throw(latest_table::upsert_sql);
        exists_ = prepare_or_throw(latest_table::exists_sql);
        begin_ = prepare_or_throw("BEGIN IMMEDIATE");
        commit_ = prepare_or_throw("COMMIT");
        rollback_ = prepare_or_throw("ROLLBACK");
    }

    std::vector<reading> load_latest() {
        std::lock_guard<std::mutex> lk(db_mu_);
        stmt_ptr s = prepare_or_throw(latest_table::select_sql);
        std::vector<reading> out;
        int rc;
        while ((rc = sqlite3_step(s.get())) == SQLITE_ROW) {
            reading r;
            if (latest_table::read_row(s.get(), r)) out.push_back(std::move(r));
        }
        if (rc != SQLITE_DONE) fail_open("reading latest values");
        return out;
    }

    bool put(reading r) {
        bool wake = false;
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (stopping_) return false;  // nothing would write it any more
            auto it = pending_.find(r.sensor_id);
            if (it != pending_.end()) {
                it->second = std::move(r);
                return true;
            }
            if (pending_.size() >= opts_.max_pending) return false;
            if (pending_.empty()) oldest_pending_ = clock::now();
            std::string key = r.sensor_id;
            pending_.emplace(std::move(key), std::move(r));
            // Wake the writer only to start the flush timer or when a full batch is waiting.
            wake = pending_.size() == 1 || pending_.size() == opts_.batch_max;
        }
        if (wake) cv_.notify_one();
        return true;
    }

    // Until stop, or pending data whose flush is due: flush_interval after the oldest put, or
    // a full batch waiting — but never before the retry time after a failure.
    void wait_for_work(std::unique_lock<std::mutex>& lk) {
        cv_.wait(lk, [&] { return stopping_ || !pending_.empty(); });
        const auto due = std::max(oldest_pending_ + opts_.flush_interval, retry_at_);
        cv_.wait_until(lk, due, [&] {
            return stopping_ || (pending_.size() >= opts_.batch_max && clock::now() >= retry_at_);
        });
    }

    void writer_loop() noexcept {
        try {
            for (;;) {
                pending_map batch;
                bool last;
                {
                    std::unique_lock<std::mutex> lk(mu_);
                    wait_for_work(lk);
                    last = stopping_;
                    batch.swap(pending_);
                }
                write_all(std::move(batch));
                if (last) return;
            }
        } catch (...) {
            healthy_ = false;  // out of memory: nothing sensible left to do on this thread
        }
    }

    // Writes the batch in transactions of at most batch_max rows; on failure the unwritten
    // rows go back to pending and the writer backs off for a flush interval.
    void write_all(pending_map batch) {
        auto first = batch.begin();
        while (first != batch.end()) {
            auto last = first;
            for (std::size_t n = 0; n < opts_.batch_max && last != batch.end(); ++n) ++last;
            if (!commit_rows(first, last)) {
                requeue(first, batch.end());
                return;
            }
            first = last;
        }
    }

    bool step_done(sqlite3_stmt* s) {
        stmt_scope scope(s);
        return sqlite3_step(s) == SQLITE_DONE;
    }

    // Counts the row as inserted when its sensor is not in the table yet: one index lookup on
    // pages the upsert reads anyway, cheaper than counting the table after each commit.
    bool count_if_new(const std::string& sensor_id, std::uint64_t& inserted) {
        stmt_scope scope(exists_.get());
        latest_table::bind_text(exists_.get(), 1, sensor_id);
        const int rc = sqlite3_step(exists_.get());
        if (rc == SQLITE_DONE) ++inserted;
        return rc == SQLITE_DONE || rc == SQLITE_ROW;
    }

    bool upsert(const reading& r, std::uint64_t& inserted) {
        if (!count_if_new(r.sensor_id, inserted)) return false;
        stmt_scope scope(upsert_.get());
        latest_table::bind_reading(upsert_.get(), r);
        return sqlite3_step(upsert_.get()) == SQLITE_DONE;
    }

    bool commit_rows(pending_map::iterator first, pending_map::iterator last) {
        std::lock_guard<std::mutex> lk(db_mu_);
        bool ok = step_done(begin_.get());
        std::uint64_t inserted = 0, rows = 0;
        for (auto it = first; ok && it != last; ++it, ++rows) ok = upsert(it->second, inserted);
        ok = ok && step_done(commit_.get());
        if (!ok) {
            // A failed statement may already have rolled the transaction back.
            if (!sqlite3_get_autocommit(db_.get())) step_done(rollback_.get());
            ++failed_;
            healthy_ = false;
            return false;
        }
        ++commits_;
        written_ += rows;
        sensors_ += inserted;
        healthy_ = true;
        return true;
    }

    // Puts unwritten rows back without overwriting newer puts, within max_pending.
    void requeue(pending_map::iterator first, pending_map::iterator last) {
        std::lock_guard<std::mutex> lk(mu_);
        if (pending_.empty()) oldest_pending_ = clock::now();
        for (auto it = first; it != last; ++it) {
            if (pending_.size() >= opts_.max_pending) break;
            pending_.try_emplace(it->first, std::move(it->second));
        }
        retry_at_ = clock::now() + opts_.flush_interval;
    }

    void start() {
        std::lock_guard<std::mutex> lk(lifecycle_mu_);
        {
            std::lock_guard<std::mutex> plk(mu_);
            if (stopping_ || writer_.joinable()) return;
        }
        writer_ = std::thread([this] { writer_loop(); });
    }

    void stop() {
        std::lock_guard<std::mutex> lk(lifecycle_mu_);
        {
            std::lock_guard<std::mutex> plk(mu_);
            if (stopping_) return;
            stopping_ = true;
        }
        cv_.notify_all();
        if (writer_.joinable()) {
            writer_.join();
        } else {
            writer_loop();  // never started: flush what was put, on this thread
        }
    }
};

sqlite_store::sqlite_store(store_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {
    impl_->open();
}

sqlite_store::~sqlite_store() { stop(); }

std::vector<reading> sqlite_store::load_latest() { return impl_->load_latest(); }

void sqlite_store::start() { impl_->start(); }

bool sqlite_store::put(reading r) { return impl_->put(std::move(r)); }

void sqlite_store::stop() { impl_->stop(); }

store_stats sqlite_store::stats() const {
    return store_stats{impl_->sensors_.load(), impl_->commits_.load(), impl_->written_.load(),
                       impl_->failed_.load()};
}

bool sqlite_store::healthy() const { return impl_->healthy_.load(); }

}  // namespace sb
