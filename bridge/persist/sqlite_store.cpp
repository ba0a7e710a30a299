#include "persist/sqlite_store.hpp"

#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iterator>
#include <mutex>
#include <thread>
#include <utility>

#include "core/latency_histogram.hpp"
#include "core/log.hpp"
#include "persist/db_recovery.hpp"
#include "persist/pending_writes.hpp"
#include "persist/sqlite_connection.hpp"

namespace sb {

namespace {

// The writer is background work: a commit of a thousand sensors' rows takes milliseconds of CPU,
// and on a 2-core gateway that is a core the network thread, the broker and the clients then
// share. The writer thread runs under SCHED_IDLE (Linux: per thread): it gets a core only when
// nothing else wants it, and the scheduler counts a core running only it as idle, so a waking
// network thread, broker or client takes that core at once. nice +10, the earlier setting, still
// let commits stretch p99 at 10 000 readings/s from ~0.4 to ~0.8 ms; SCHED_IDLE does not. The
// writer catches up in the gaps; what waits for it is bounded (pending_writes: the latest rows
// coalesce per sensor, history points past the bound are dropped and counted). nice +10 stays
// as the fallback where SCHED_IDLE is refused (it never is on Linux for one's own thread).
constexpr int writer_nice = 10;

void yield_to_live_work() noexcept {
    ::setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), writer_nice);  // best effort
    sched_param idle{};
    ::sched_setscheduler(0, SCHED_IDLE, &idle);  // 0: this thread; best effort
}

}  // namespace

struct sqlite_store::impl {
    using clock = std::chrono::steady_clock;

    store_options opts_;
    std::string moved_aside_;  // where a corrupt file went at start; before db_: runs first
    sqlite_connection db_;
    std::mutex db_mu_;  // the connection: writer passes vs. load_latest / load_history

    std::mutex mu_;  // guards pending_, the two time points and stopping_
    std::condition_variable cv_;
    pending_writes pending_;
    clock::time_point oldest_pending_{};  // when pending_ last became non-empty
    clock::time_point retry_at_{};        // no write before this after a failure
    bool stopping_ = false;

    clock::time_point next_maintenance_ = clock::now();  // writer thread only
    // checkpoint_interval after the first commit since the last checkpoint; max: none due.
    clock::time_point next_checkpoint_ = clock::time_point::max();  // writer thread only
    // The tiered points the writer holds back until a sensor has a run of them (writer thread;
    // before start(), load_history's recovery): rows of one point each would cost ~60 bytes a
    // point until compaction and a row's writes per reading. They stay durable meanwhile: the
    // --history-depth rows hold them, and tier_mark says which are written (tier_table.hpp).
    struct raw_buffer {
        std::vector<chunk_point> points;
        std::uint64_t last_seq = 0;
        clock::time_point since{};  // when its oldest point was buffered
    };
    std::unordered_map<std::string, raw_buffer> buffers_;
    std::size_t buffered_ = 0;
    std::int64_t closed_horizon_ = 0;  // the last hour boundary (plus grace) maintenance saw
    mutable std::mutex figures_mu_;
    store_stats figures_;  // the tiers' figures at the last maintenance

    std::mutex lifecycle_mu_;  // serializes start() and stop()
    std::thread writer_;

    std::atomic<std::uint64_t> sensors_{0}, commits_{0}, written_{0}, failed_{0};
    std::atomic<std::uint64_t> history_written_{0}, history_dropped_{0}, tier_dropped_{0};
    std::atomic<bool> healthy_{true};
    std::atomic<bool> recovering_{false};  // a corrupt file was replaced, nothing committed since
    std::uint64_t failed_in_a_row_ = 0;    // writer thread
    std::uint64_t commits_at_checkpoint_ = 0;  // writer thread
    bool previous_clean_ = true;
    // Every transaction attempt, committed or not: count = commits + failed.
    latency_histogram commit_seconds_{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};

    explicit impl(store_options opts)
        : opts_(normalized(std::move(opts))),
          moved_aside_(recover_if_corrupt(opts_.path)),
          db_(opts_.path, opts_.sync_full, opts_.wal_limit_bytes),
          pending_(opts_.max_pending, opts_.history_depth == 0 ? 0 : opts_.max_pending_history, opts_.history_depth,
                   tiered() ? opts_.max_pending_history : 0) {
        sensors_ = db_.count_sensors();
        previous_clean_ = db_.mark_running();
        recovering_ = !moved_aside_.empty();
    }

    bool tiered() const { return opts_.tiers.budget_bytes > 0; }

    std::int64_t wall_ms() const {
        if (opts_.wall_clock) return opts_.wall_clock();
        return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
            .count();
    }

    static store_options normalized(store_options o) {
        o.batch_max = std::max<std::size_t>(o.batch_max, 1);
        o.history_batch_max = std::max<std::size_t>(o.history_batch_max, 1);
        return o;
    }

    bool put(reading r, std::string_view frame, const reading_json_fields* fields, pending_hint* hint) {
        bool wake = false, queued = false;
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (stopping_) return false;  // nothing would write it any more
            const bool was_empty = pending_.empty();
            const auto result = fields ? pending_.put(std::move(r), opts_.history_depth > 0, frame, *fields, hint)
                                       : pending_.put(std::move(r), opts_.history_depth > 0);
            // A locked add on every reading cost more than the rest of put: only when needed.
            if (result.history_dropped > 0) history_dropped_.fetch_add(result.history_dropped, std::memory_order_relaxed);
            if (result.raw_dropped > 0) tier_dropped_.fetch_add(result.raw_dropped, std::memory_order_relaxed);
            queued = result.latest != pending_writes::latest_result::full;
            const bool started = was_empty && !pending_.empty();
            if (started) oldest_pending_ = clock::now();
            // Wake the writer only to start the flush timer or when a full batch is waiting.
            wake = started ||
                   (result.latest == pending_writes::latest_result::added && pending_.latest_size() == opts_.batch_max) ||
                   (opts_.history_depth > 0 && pending_.history_size() == opts_.history_batch_max) ||
                   pending_.raw_size() == opts_.history_batch_max;
        }
        if (wake) cv_.notify_one();
        return queued;
    }

    void forget(std::string_view sensor_id) {
        {
            std::lock_guard<std::mutex> lk(mu_);
            if (stopping_) return;
            if (pending_.empty()) oldest_pending_ = clock::now();
            pending_.forget(sensor_id);
        }
        cv_.notify_one();
    }

    bool full_batch_waiting() const {
        return pending_.latest_size() >= opts_.batch_max || pending_.history_size() >= opts_.history_batch_max ||
               pending_.raw_size() >= opts_.history_batch_max;
    }

    // Until stop, the tiers' maintenance, or pending data whose flush is due: flush_interval
    // after the oldest put, or a full batch waiting — but never before the retry time after a
    // failure.
    void wait_for_work(std::unique_lock<std::mutex>& lk) {
        const auto wake = std::min(tiered() ? next_maintenance_ : clock::time_point::max(), next_checkpoint_);
        if (wake != clock::time_point::max()) {
            cv_.wait_until(lk, wake, [&] { return stopping_ || !pending_.empty(); });
            if (pending_.empty()) return;
        } else {
            cv_.wait(lk, [&] { return stopping_ || !pending_.empty(); });
        }
        const auto due = std::max(oldest_pending_ + opts_.flush_interval, retry_at_);
        cv_.wait_until(lk, due, [&] { return stopping_ || (full_batch_waiting() && clock::now() >= retry_at_); });
    }

    void writer_loop() noexcept {
        yield_to_live_work();
        try {
            for (;;) {
                write_batch batch;
                bool last;
                {
                    std::unique_lock<std::mutex> lk(mu_);
                    wait_for_work(lk);
                    last = stopping_;
                    batch = pending_.take();
                }
                write_all(std::move(batch), last);
                if (tiered()) maintain(last);
                if (last) return;  // closing the connection checkpoints
                checkpoint_if_due();
            }
        } catch (...) {
            healthy_ = false;  // out of memory: nothing sensible left to do on this thread
        }
    }

    // Writes the batch in transactions of at most batch_max latest rows and about
    // history_batch_max history points (whole sensors); on failure the unwritten rows go back to
    // pending and the writer backs off for a flush interval.
    void write_all(write_batch batch, bool flush_all) {
        if (!batch.forgotten.empty() && !forget_rows(batch.forgotten)) {
            sqlite_connection::commit_rows all;
            all.first = batch.sensors.begin();
            requeue(batch, all);
            return;
        }
        for (const std::string& id : batch.forgotten) drop_buffer(id);
        batch.forgotten.clear();
        buffer(batch);
        std::vector<sqlite_connection::tier_flush> flush = due_runs(flush_all);
        sqlite_connection::commit_rows rows;
        rows.first = batch.sensors.begin();
        rows.history_depth = opts_.history_depth;
        rows.flush = flush.empty() ? nullptr : &flush;
        if (batch.sensors.empty() && rows.flush) {
            rows.last = rows.first;
            if (commit(rows)) flushed(flush);
            return;
        }
        while (rows.first != batch.sensors.end()) {
            rows.last = rows.first;
            std::size_t latest = 0, points = 0;
            while (rows.last != batch.sensors.end() && latest < opts_.batch_max && points < opts_.history_batch_max) {
                latest += rows.last->second.latest ? 1 : 0;
                points += rows.last->second.history.points + rows.last->second.raw.size();
                ++rows.last;
            }
            if (!commit(rows)) {
                requeue(batch, rows);
                return;
            }
            if (rows.flush) flushed(flush);
            rows.flush = nullptr;  // written with the first transaction
            rows.first = rows.last;
        }
    }

    void drop_buffer(const std::string& id) {
        const auto it = buffers_.find(id);
        if (it == buffers_.end()) return;
        buffered_ -= it->second.points.size();
        buffers_.erase(it);
    }

    // The batch's tiered points join their sensors' buffers (writer thread).
    void buffer(write_batch& batch) {
        const auto now = clock::now();
        for (auto& [id, s] : batch.sensors) {
            if (s.raw.empty()) continue;
            raw_buffer& b = buffers_[id];
            if (b.points.empty()) b.since = now;
            b.points.insert(b.points.end(), std::make_move_iterator(s.raw.begin()), std::make_move_iterator(s.raw.end()));
            b.last_seq = std::max(b.last_seq, s.raw_last_seq);
            buffered_ += s.raw.size();
            s.raw.clear();
        }
    }

    // The runs to write now: every buffer when flush_all or past the overall bound, else those
    // with run_points() points or held for raw_hold.
    std::vector<sqlite_connection::tier_flush> due_runs(bool flush_all) {
        std::vector<sqlite_connection::tier_flush> out;
        flush_all = flush_all || buffered_ > opts_.max_pending_history;
        const auto now = clock::now();
        const std::size_t run = run_points();
        std::size_t points = 0;  // a transaction takes about history_batch_max of them
        for (auto& [id, b] : buffers_) {
            if (points >= opts_.history_batch_max) break;
            if (flush_all || b.points.size() >= run || now - b.since >= opts_.tier_hold) {
                out.push_back({&id, &b.points, b.last_seq});
                points += b.points.size();
            }
        }
        return out;
    }

    void flushed(const std::vector<sqlite_connection::tier_flush>& runs) {
        for (const auto& f : runs) {
            buffered_ -= f.points->size();
            buffers_.erase(*f.sensor_id);
        }
    }

    // The tiers' work between commits, on the writer thread: the budget after every commit (two
    // PRAGMA reads), compaction, retention and the figures every maintenance_interval.
    // Compaction goes in transactions of at most compact_groups sensor-hours, so a commit waits
    // for one of them at most; after an outage it catches up over several intervals.
    static constexpr int compact_groups = 256;
    // A sensor's buffered points are written once it has this many (at most half its depth, so
    // its history rows always hold them), or after raw_hold, at an hour's close and at stop.
    static constexpr std::size_t max_run = 256;
    std::size_t run_points() const {
        if (opts_.history_depth == 0 || opts_.tier_hold.count() == 0) return 0;
        return std::clamp<std::size_t>(opts_.history_depth / 2, 1, max_run);
    }
    static constexpr int compact_rounds = 16;

    // last: the final flush at stop, after which only the budget is held.
    void maintain(bool last) {
        const auto now = clock::now();
        const bool due = !last && now >= next_maintenance_;
        const std::int64_t wall = wall_ms();
        const std::int64_t horizon = bucket_start(wall - opts_.tiers.close_grace_ms, 3600 * 1000);
        // An hour closed: what is buffered goes first, so it is compacted with the rest.
        // Not while commits fail: the buffers wait for the retry with the rest.
        const bool writing = failed_in_a_row_ == 0;
        if (due && writing && horizon != closed_horizon_ && !buffers_.empty()) write_all(write_batch{}, true);
        // Over the bound (points recovered at start after an upgrade or a crash): a few
        // transactions' worth per pass.
        for (int round = 0; writing && round < compact_rounds && buffered_ > opts_.max_pending_history; ++round) {
            const std::size_t before = buffered_;
            write_all(write_batch{}, true);
            if (buffered_ == before) break;  // the commit failed: retried next pass
        }
        if (due) closed_horizon_ = horizon;
        std::lock_guard<std::mutex> lk(db_mu_);
        tier_writer& t = db_.tiers();
        bool ok = true;
        if (due) {
            for (int round = 0; round < compact_rounds; ++round) {
                const int n = t.compact(wall, opts_.tiers.close_grace_ms, compact_groups);
                ok = n >= 0;
                if (n < compact_groups) break;
            }
            ok = ok && t.expire(wall, opts_.tiers);
            next_maintenance_ = now + opts_.maintenance_interval;
        }
        ok = ok && t.hold_budget(opts_.tiers.budget_bytes, wall, opts_.tiers.close_grace_ms);
        if (!ok && failed_in_a_row_++ == 0) {
            SB_LOG(error, "store", "history maintenance failed, retrying",
                   "db=" + log_quote(opts_.path, 256) + " error=" + log_quote(t.last_error(), 120));
        }
        store_stats figures;
        t.fill(figures);
        std::lock_guard<std::mutex> flk(figures_mu_);
        figures_ = figures;
    }

    // The WAL reaches the disk (NORMAL) and is cut back to its limit: checkpoint_interval
    // after the first commit since the last one, so an idle bridge does none.
    void checkpoint_if_due() {
        if (next_checkpoint_ == clock::time_point::max()) {
            if (commits_.load() != commits_at_checkpoint_) next_checkpoint_ = clock::now() + opts_.checkpoint_interval;
            return;
        }
        if (clock::now() < next_checkpoint_) return;
        commits_at_checkpoint_ = commits_.load();
        next_checkpoint_ = clock::time_point::max();
        std::lock_guard<std::mutex> lk(db_mu_);
        if (!db_.checkpoint()) next_checkpoint_ = clock::now() + opts_.checkpoint_interval;  // retried
    }

    bool forget_rows(const std::vector<std::string>& ids) {
        std::uint64_t removed = 0;
        bool ok;
        {
            std::lock_guard<std::mutex> lk(db_mu_);
            ok = db_.forget(ids, removed);
        }
        if (!ok) {
            ++failed_;
            healthy_ = false;
            if (failed_in_a_row_++ == 0) {
                SB_LOG(error, "store", "deleting forgotten sensors failed, retrying",
                       "db=" + log_quote(opts_.path, 256) + " error=" + log_quote(db_.last_error(), 120));
            }
            return false;
        }
        ++commits_;
        sensors_ -= std::min<std::uint64_t>(sensors_, removed);
        return true;
    }

    bool commit(const sqlite_connection::commit_rows& rows) {
        std::uint64_t new_sensors = 0;
        bool ok;
        {
            std::lock_guard<std::mutex> lk(db_mu_);
            const auto started = clock::now();
            ok = db_.commit(rows, new_sensors);
            commit_seconds_.observe(clock::now() - started);
        }
        if (!ok) {
            // Logged once per outage: a full disk fails every flush interval until it is freed.
            if (failed_in_a_row_++ == 0) {
                SB_LOG(error, "store", "commit failed: readings stay live and in memory, retrying",
                       "db=" + log_quote(opts_.path, 256) + " error=" + log_quote(db_.last_error(), 120));
            }
            ++failed_;
            healthy_ = false;
            return false;
        }
        if (failed_in_a_row_ > 0) {
            SB_LOG(warn, "store", "writes resumed", "failed_commits=" + std::to_string(failed_in_a_row_));
            failed_in_a_row_ = 0;
        }
        ++commits_;
        for (auto it = rows.first; it != rows.last; ++it) {
            written_ += it->second.latest ? 1 : 0;
            history_written_ += it->second.history.points;
        }
        sensors_ += new_sensors;
        healthy_ = true;
        recovering_ = false;
        return true;
    }

    // Puts the rows from the failed transaction on back, without overwriting newer puts.
    void requeue(write_batch& batch, const sqlite_connection::commit_rows& failed) {
        write_batch unwritten;
        unwritten.forgotten = std::move(batch.forgotten);
        for (auto it = failed.first; it != batch.sensors.end(); ++it) {
            unwritten.latest_rows += it->second.latest ? 1 : 0;
            unwritten.history_points += it->second.history.points;
            unwritten.sensors.emplace(it->first, std::move(it->second));
        }
        std::lock_guard<std::mutex> lk(mu_);
        if (pending_.empty()) oldest_pending_ = clock::now();
        std::size_t raw_lost = 0;
        history_dropped_ += pending_.requeue(std::move(unwritten), &raw_lost);
        tier_dropped_ += raw_lost;
        retry_at_ = clock::now() + opts_.flush_interval;
    }

    void start() {
        std::lock_guard<std::mutex> lk(lifecycle_mu_);
        closed_horizon_ = bucket_start(wall_ms() - opts_.tiers.close_grace_ms, 3600 * 1000);
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
        std::lock_guard<std::mutex> dlk(db_mu_);
        if (healthy_) db_.mark_clean();  // a failed final flush leaves the run marked unclean
    }
};

sqlite_store::sqlite_store(store_options opts) : impl_(std::make_unique<impl>(std::move(opts))) {}

sqlite_store::~sqlite_store() { stop(); }

std::vector<reading> sqlite_store::load_latest() {
    std::lock_guard<std::mutex> lk(impl_->db_mu_);
    return impl_->db_.load_latest();
}

void sqlite_store::load_history(const std::function<void(reading&)>& on_row) {
    std::lock_guard<std::mutex> lk(impl_->db_mu_);
    if (!impl_->tiered() || impl_->opts_.history_depth == 0) {
        impl_->db_.load_history(impl_->opts_.history_depth, on_row);
        return;
    }
    // History rows above a sensor's mark never reached the tiers (held back when the process
    // ended, or written before the tiers existed): the writer writes them first.
    const auto marks = impl_->db_.tiers().marks();
    const auto now = impl::clock::now();
    impl_->db_.load_history(impl_->opts_.history_depth, [&](reading& r) {
        const auto mark = marks.find(r.sensor_id);
        if (mark == marks.end() || r.seq > mark->second) {
            impl::raw_buffer& b = impl_->buffers_[r.sensor_id];
            if (b.points.empty()) b.since = now;
            b.points.push_back(chunk_point{r.timestamp, r.value});
            b.last_seq = std::max(b.last_seq, r.seq);
            ++impl_->buffered_;
        }
        on_row(r);
    });
}

void sqlite_store::start() { impl_->start(); }

bool sqlite_store::put(reading r) { return impl_->put(std::move(r), {}, nullptr, nullptr); }

bool sqlite_store::put(reading r, std::string_view frame, const reading_json_fields& fields, pending_hint* hint) {
    return impl_->put(std::move(r), frame, &fields, hint);
}

void sqlite_store::forget(std::string_view sensor_id) { impl_->forget(sensor_id); }

void sqlite_store::stop() { impl_->stop(); }

store_stats sqlite_store::stats() const {
    store_stats s;
    s.sensors = impl_->sensors_.load();
    s.commits = impl_->commits_.load();
    s.written = impl_->written_.load();
    s.failed = impl_->failed_.load();
    s.history_written = impl_->history_written_.load();
    s.history_dropped = impl_->history_dropped_.load();
    s.tier_dropped = impl_->tier_dropped_.load();
    s.commit_seconds = impl_->commit_seconds_.snapshot();
    {
        std::lock_guard<std::mutex> lk(impl_->figures_mu_);
        const store_stats& f = impl_->figures_;
        std::copy(std::begin(f.tier_bytes), std::end(f.tier_bytes), s.tier_bytes);
        std::copy(std::begin(f.tier_oldest_ms), std::end(f.tier_oldest_ms), s.tier_oldest_ms);
        s.tier_points = f.tier_points;
        s.tier_compactions = f.tier_compactions;
        s.tier_evictions = f.tier_evictions;
        s.db_bytes = f.db_bytes;
    }
    s.file_bytes = impl_->db_.file_bytes();  // the path only: no lock, no SQLite call
    s.wal_bytes = impl_->db_.wal_bytes();
    return s;
}

bool sqlite_store::healthy() const { return impl_->healthy_.load(); }

bool sqlite_store::recovering() const { return impl_->recovering_.load(); }

const std::string& sqlite_store::moved_aside() const { return impl_->moved_aside_; }

bool sqlite_store::previous_shutdown_clean() const { return impl_->previous_clean_; }

const std::string& sqlite_store::instance() const { return impl_->db_.instance(); }

}  // namespace sb
