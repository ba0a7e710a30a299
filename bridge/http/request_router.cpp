#include "http/request_router.hpp"

#include "core/clock.hpp"

#include <utility>

#include "http/rest_router.hpp"

namespace sb {

request_router::request_router(const sensor_registry& registry, static_files files, stats_fn stats, health_fn health,
                               forget_fn forget)
    : registry_(registry), files_(std::move(files)), stats_(std::move(stats)), health_(std::move(health)),
      forget_(std::move(forget)) {}

http_reply request_router::route(const http_request& req) const {
    if (req.target.compare(0, 4, "/api") == 0 || req.target.compare(0, 8, "/metrics") == 0) {
        const stats_snapshot st = stats_();
        const health_snapshot h = health_();
        rest_context ctx{registry_, st, h};
        ctx.scope = req.scope.unrestricted() ? nullptr : &req.scope;
        if (forget_) ctx.forget = &forget_;
        ctx.now_ms = now_ms();
        ctx.history = history_;
        if (auto reply = route_rest(req, ctx)) return std::move(*reply);
    }
    return files_.serve(req);
}

}  // namespace sb
