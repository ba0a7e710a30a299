#include "ws_worker.hpp"

#include <unistd.h>

#include <cstdio>

#include "ws_client.hpp"

namespace sb::bench {
namespace {

using namespace std::chrono_literals;

constexpr std::uint32_t failures_to_log = 10;

}  // namespace

ws_worker::ws_worker(ws_run_state& run, unsigned id)
    : run_(run), id_(id), read_buffer_(new char[read_buffer_size]),
      rng_(0x9E3779B9u ^ (id * 2654435761u) ^ static_cast<std::uint32_t>(::getpid())) {
    const ws_options& o = run.opts;
    share_ = o.clients / o.threads + (id < o.clients % o.threads ? 1 : 0);
    clients_.reserve(share_);
    if (rng_ == 0) rng_ = 1;
}

ws_worker::~ws_worker() { stop(); }

void ws_worker::start() {
    started_at_ = steady::now();
    pace_connects();
    if (opts().protocol == ws_protocol::mqtt) keepalive_tick();
    thread_ = std::thread([this] { io_.run(); });
}

void ws_worker::stop() {
    work_.reset();
    io_.stop();
    if (thread_.joinable()) thread_.join();
}

// Opens this worker's share of --connect-rate: every client due by now, then waits a tick.
void ws_worker::pace_connects() {
    const double rate = opts().connect_rate / opts().threads;
    const double elapsed = std::chrono::duration<double>(steady::now() - started_at_).count();
    const auto due = std::min<std::uint64_t>(share_, static_cast<std::uint64_t>(rate * elapsed) + 1);
    while (clients_.size() < due) {
        const auto index = static_cast<std::uint32_t>(id_ + clients_.size() * opts().threads);
        clients_.push_back(std::make_unique<ws_client>(*this, index));
        clients_.back()->start();
    }
    if (clients_.size() >= share_) return;
    connect_timer_.expires_after(1ms);
    connect_timer_.async_wait([this](const asio::error_code& ec) {
        if (!ec) pace_connects();
    });
}

void ws_worker::keepalive_tick() {
    const std::uint32_t now_s = seconds_since_start();
    for (auto& c : clients_) c->keepalive(now_s);
    keepalive_timer_.expires_after(1s);
    keepalive_timer_.async_wait([this](const asio::error_code& ec) {
        if (!ec) keepalive_tick();
    });
}

std::uint32_t ws_worker::next_mask() noexcept {
    rng_ ^= rng_ << 13;
    rng_ ^= rng_ >> 17;
    rng_ ^= rng_ << 5;
    return rng_;
}

std::uint32_t ws_worker::seconds_since_start() const noexcept {
    return static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(steady::now() - started_at_).count());
}

void ws_worker::note_failure(std::uint32_t index, const std::string& why) {
    const std::uint32_t n = run_.failures_logged.fetch_add(1, std::memory_order_relaxed);
    if (n >= failures_to_log) return;
    const std::string line = "ws: client " + std::to_string(index) + ": " + why +
                             (n + 1 == failures_to_log ? " (further failures not logged)\n" : "\n");
    std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace sb::bench
