#include "ws_bench.hpp"

#include <iostream>

#include "tool_support.hpp"

namespace sb::bench {
namespace {

using namespace std::chrono_literals;

const char* protocol_name(ws_protocol p) {
    switch (p) {
        case ws_protocol::bridge: return "bridge";
        case ws_protocol::raw: return "raw";
        case ws_protocol::mqtt: return "mqtt";
    }
    return "?";
}

}  // namespace

ws_bench::ws_bench(const ws_options& o) : o_(o), run_(o, *parse_ws_url(o.url)) {}

ws_bench::~ws_bench() {
    for (auto& w : workers_) w->stop();
}

std::string ws_bench::resolve() {
    asio::error_code ec;
    asio::ip::tcp::resolver resolver(io_);
    const auto results = resolver.resolve(run_.url.host, std::to_string(run_.url.port), ec);
    if (ec || results.empty()) return "cannot resolve " + run_.url.host + ": " + ec.message();
    run_.target = results.begin()->endpoint();
    for (const auto& r : results) {
        if (r.endpoint().address().is_v4()) {
            run_.target = r.endpoint();
            break;
        }
    }
    std::string spec = o_.source_addrs;
    if (spec == "auto") spec = run_.target.address().is_loopback() && run_.target.address().is_v4() ? "127.0.0.1-127.0.0.40" : "none";
    if (spec == "none") return {};
    if (!run_.target.address().is_v4()) return "--source-addrs needs an IPv4 server address";
    run_.sources = *parse_source_range(spec);  // checked when the options were parsed
    return {};
}

int ws_bench::run() {
    started_ = last_progress_ = steady::now();
    if (const std::string err = resolve(); !err.empty()) {
        std::cerr << "sb-bench-ws: " << err << "\n";
        return 1;
    }
    std::cerr << "ws: " << o_.clients << " " << protocol_name(o_.protocol) << " clients to " << o_.url << " at "
              << o_.connect_rate << "/s on " << o_.threads << " thread(s)\n";
    for (unsigned i = 0; i < o_.threads; ++i) workers_.push_back(std::make_unique<ws_worker>(run_, i));
    for (auto& w : workers_) w->start();
    signals_.async_wait([this](const asio::error_code& ec, int) {
        if (!ec) stop("signal");
    });
    tick();
    io_.run();
    for (auto& w : workers_) w->stop();
    print_summary(summary());
    return error_.empty() ? 0 : 1;
}

void ws_bench::tick() {
    ticker_.expires_after(10ms);
    ticker_.async_wait([this](const asio::error_code& ec) {
        if (ec || done_) return;
        const totals t = sum();
        if (ready_) {
            check_measuring(t);
        } else {
            check_connecting(t);
        }
        if (done_) return;
        if (steady::now() - last_progress_ >= 1s) progress(t);
        tick();
    });
}

void ws_bench::check_connecting(const totals& t) {
    if (t.ready + t.failed >= o_.clients) {
        if (t.ready == 0) return fail("no client became ready");
        ready_ = true;
        ready_at_ = steady::now();
        run_.ready_us.store(wall_us());
        std::cerr << "ws: ready: " << t.ready << " clients (" << t.failed << " failed) after "
                  << elapsed_ms(started_) << " ms\n";
        print_ready();
    } else if (elapsed_ms(started_) >= o_.timeout_ms) {
        fail("--timeout-ms passed with " + std::to_string(t.ready) + " of " + std::to_string(o_.clients) +
             " clients ready");
    }
}

void ws_bench::check_measuring(const totals& t) {
    if (t.open == 0) return stop("every connection is closed");
    if (o_.hold_ms > 0) {
        if (elapsed_ms(ready_at_) >= o_.hold_ms) stop("held for --hold-ms");
        return;
    }
    if (o_.expect > 0 && t.readings >= o_.expect) return stop("expected readings received");
    if (t.readings > 0 && wall_us() - t.last_recv_us >= o_.idle_timeout_ms * 1000) return stop("idle");
    if (elapsed_ms(started_) >= o_.timeout_ms) stop("timeout");
}

void ws_bench::progress(const totals& t) {
    last_progress_ = steady::now();
    std::cerr << "ws: " << elapsed_ms(started_) / 1000 << " s: started " << t.started << ", connected "
              << t.connected << ", ready " << t.ready << ", failed " << t.failed << ", open " << t.open
              << ", readings " << t.readings << "\n";
}

void ws_bench::stop(const std::string& why) {
    if (done_) return;
    done_ = true;
    stop_reason_ = why;
    std::cerr << "ws: stopping (" << why << ")\n";
    ticker_.cancel();
    signals_.cancel();
}

void ws_bench::fail(const std::string& why) {
    if (done_) return;
    error_ = why;
    std::cerr << "sb-bench-ws: " << why << "\n";
    stop("error");
}

ws_bench::totals ws_bench::sum() const {
    totals t;
    for (const auto& w : workers_) {
        const ws_counters& c = w->counters();
        t.started += c.started.load(std::memory_order_relaxed);
        t.connected += c.connected.load(std::memory_order_relaxed);
        t.ready += c.ready.load(std::memory_order_relaxed);
        t.failed += c.failed.load(std::memory_order_relaxed);
        t.closed_by_server += c.closed_by_server.load(std::memory_order_relaxed);
        t.readings += c.readings.load(std::memory_order_relaxed);
        t.open += c.open.load(std::memory_order_relaxed);
        t.last_recv_us = std::max(t.last_recv_us, c.last_recv_us.load(std::memory_order_relaxed));
    }
    return t;
}

// After the workers have stopped: their tallies are stable.
std::string ws_bench::summary() const {
    const totals t = sum();
    reading_tally all;
    ws_error_counts errors;
    std::uint64_t subscriptions = 0;
    for (const auto& w : workers_) {
        all.merge(w->tally());
        errors.error_frames += w->errors().error_frames;
        errors.parse += w->errors().parse;
        errors.protocol += w->errors().protocol;
        subscriptions += w->sensor_subscriptions();
    }
    json_line j;
    j.add("tool", "ws").add("protocol", protocol_name(o_.protocol)).add("clients", std::uint64_t{o_.clients});
    j.add("connected", t.connected).add("failed", t.failed).add("closed_by_server", t.closed_by_server);
    j.raw(all.json_members());
    j.add("error_frames", errors.error_frames).add("parse_errors", errors.parse);
    j.add("protocol_errors", errors.protocol).add("sensor_subscriptions", subscriptions);
    j.add("ready_ms", ready_ ? std::chrono::duration_cast<std::chrono::milliseconds>(ready_at_ - started_).count()
                             : std::int64_t{-1});
    j.add("rss_kib", std::int64_t{peak_rss_kib()}).add("stop", stop_reason_);
    if (!error_.empty()) j.add("error", error_);
    return j.str();
}

}  // namespace sb::bench
