#pragma once
// Wires the parts together; the only module that knows them all. One io_context (the network
// thread) owns the hub, the WebSocket listener and the sensor registry; the store writes on its own thread.
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <vector>

#include "app/ingest_pipeline.hpp"
#include "app/ingest_queue.hpp"
#include "app/staleness_monitor.hpp"
#include "auth/token_verifier.hpp"
#include "config/options.hpp"
#include "http/request_router.hpp"
#include "http/ws_listener.hpp"
#include "hub/hub.hpp"
#include "ingest/mqtt_source.hpp"
#include "persist/history_reader.hpp"
#include "persist/sqlite_store.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class bridge_app {
public:
    // Opens the store, loads the cache and binds the port. Throws std::runtime_error with a
    // one-line reason when any of that fails.
    explicit bridge_app(const options& opts);
    ~bridge_app();

    // Runs until SIGINT/SIGTERM or request_stop(); returns the process exit code.
    int run();
    void request_stop();  // thread-safe

    std::uint16_t http_port() const noexcept { return listener_.port(); }

private:
    void load_cache();
    void load_history();
    void start_ingest();
    void on_mqtt_message(mqtt_message&& m);  // MQTT library thread
    void drain_ingest();                      // network thread
    void shutdown();                          // network thread
    void wait_for_clients(std::chrono::steady_clock::time_point deadline);
    void watch_reload();
    void schedule_forget(std::chrono::milliseconds after);  // SIGHUP: reload --token-file
    stats_snapshot stats();
    health_snapshot health() const;

    options opts_;
    asio::io_context io_;
    sensor_registry latest_;
    hub hub_;
    sqlite_store store_;
    std::unique_ptr<history_reader> history_;  // null with --history-budget 0
    ingest_pipeline pipeline_;
    staleness_monitor staleness_;
    request_router router_;
    std::unique_ptr<token_verifier> verifier_;  // null without --token-file
    ws_listener listener_;
    std::unique_ptr<mqtt_source> mqtt_;
    asio::signal_set signals_;
    asio::signal_set reload_signal_;
    asio::steady_timer shutdown_timer_;
    asio::steady_timer forget_timer_;  // --forget-after sweeps
    ingest_queue ingest_queue_;
    bool mqtt_inline_ = false;  // the source delivers on the network thread
    std::vector<mqtt_message> ingest_batch_;
    std::atomic<std::uint64_t> ingest_overflow_{0};
    bool shutting_down_ = false;
};

}  // namespace sb
