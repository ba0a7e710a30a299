#pragma once
// Every plain HTTP request (not the WebSocket upgrade): /api/... and /metrics to the REST
// router with a fresh stats and health snapshot, everything else to the static files. Does no
// I/O of its own beyond the static files' reads.
#include <functional>

#include "core/stats.hpp"
#include "http/http_types.hpp"
#include "http/static_files.hpp"
#include "state/sensor_registry.hpp"

namespace sb {

class history_reader;

class request_router {
public:
    using stats_fn = std::function<stats_snapshot()>;
    using health_fn = std::function<health_snapshot()>;
    using forget_fn = std::function<bool(std::string_view)>;

    request_router(const sensor_registry& registry, static_files files, stats_fn stats, health_fn health,
                   forget_fn forget = {});

    http_reply route(const http_request& req) const;
    // Series answers from the time-tiered history, read on h's thread (null: from memory).
    void set_history(history_reader* h) noexcept { history_ = h; }
    const static_files& files() const noexcept { return files_; }

private:
    const sensor_registry& registry_;
    static_files files_;
    stats_fn stats_;
    health_fn health_;
    forget_fn forget_;
    history_reader* history_ = nullptr;
};

}  // namespace sb
